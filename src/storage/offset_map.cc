#include "strata/storage/offset_map.h"

#include <algorithm>
#include <cstring>

namespace strata::storage {

namespace {
constexpr size_t block_bytes = 1 << 20;
// A node of the table (key view, offset, hash, next pointer) plus its bucket.
constexpr size_t entry_overhead = 64;
} // namespace

std::string_view offset_map::store(std::string_view key) {
    if (block_size_ - block_used_ < key.size()) {
        // A key larger than a block gets a block of its own.
        block_size_ = std::max(block_bytes, key.size());
        blocks_.push_back(std::make_unique<char[]>(block_size_));
        block_used_ = 0;
    }
    key_bytes_ += key.size();
    char* at = blocks_.back().get() + block_used_;
    if (!key.empty())
        std::memcpy(at, key.data(), key.size());
    block_used_ += key.size();
    return {at, key.size()};
}

void offset_map::put(std::span<const uint8_t> key, int64_t offset) {
    auto it = map_.find(view(key));
    if (it != map_.end()) {
        it->second = offset;
        return;
    }
    map_.emplace(store(view(key)), offset);
}

std::optional<int64_t> offset_map::get(std::span<const uint8_t> key) const {
    auto it = map_.find(view(key));
    if (it == map_.end())
        return std::nullopt;
    return it->second;
}

size_t offset_map::memory_bytes() const { return key_bytes_ + map_.size() * entry_overhead; }

} // namespace strata::storage
