#pragma once
// offset_map: for one cleaning pass, each key of the dirty section and the
// offset of its last record there (Kafka's SkimpyOffsetMap, but holding whole
// keys rather than hashes, so two keys can never be mistaken for one and a
// live record is never dropped for a collision). Keys are copied into an
// arena of 1 MiB blocks that the map's string_views point into; memory_bytes()
// counts the keys and the table's nodes (not the unused rest of the last
// block), for log.cleaner.dedupe.buffer.size.
//
// Owned by its cleaning_pass; used on the partition's thread only.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace strata::storage {

class offset_map {
public:
    // Records `offset` for `key`, replacing an earlier one.
    void put(std::span<const uint8_t> key, int64_t offset);
    std::optional<int64_t> get(std::span<const uint8_t> key) const;
    size_t size() const { return map_.size(); }
    size_t memory_bytes() const;

private:
    static std::string_view view(std::span<const uint8_t> key) {
        return {reinterpret_cast<const char*>(key.data()), key.size()};
    }
    std::string_view store(std::string_view key);

    std::unordered_map<std::string_view, int64_t> map_;
    std::vector<std::unique_ptr<char[]>> blocks_;
    size_t block_used_ = 0;
    size_t block_size_ = 0;
    size_t key_bytes_ = 0;
};

} // namespace strata::storage
