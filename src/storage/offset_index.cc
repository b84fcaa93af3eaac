#include "strata/storage/offset_index.h"

#include <algorithm>


#include "strata/storage/record_batch.h"

namespace strata::storage {

offset_index_format::entry offset_index_format::decode(const uint8_t* p, int64_t base) {
    return {base + be::load32(p), be::load32(p + 4)};
}

void offset_index_format::encode(const entry& e, int64_t base, uint8_t* p) {
    be::store32(p, uint32_t(e.offset - base));
    be::store32(p + 4, e.position);
}

result<std::unique_ptr<offset_index>, errc> offset_index::open(const std::filesystem::path& path, int64_t base_offset) {
    auto f = segment_file::open(path, true);
    if (!f)
        return fail(f.error());
    std::unique_ptr<offset_index> idx(new offset_index(std::move(*f), base_offset));
    if (auto r = idx->load(path); !r)
        return fail(r.error());
    return idx;
}

bool offset_index::consistent_with(uint64_t log_size, int64_t next_offset) const {
    if (corrupt_)
        return false;
    if (entries_.empty())
        return true;
    const entry& last = entries_.back();
    return last.position < log_size && last.offset < next_offset;
}

void offset_index::append(int64_t offset, uint32_t position) {
    if (!entries_.empty() && (offset <= entries_.back().offset || position <= entries_.back().position))
        return;
    entries_.push_back({offset, position});
}

offset_index::entry offset_index::lookup(int64_t offset) const {
    auto it = std::upper_bound(entries_.begin(), entries_.end(), offset,
                               [](int64_t o, const entry& e) { return o < e.offset; });
    if (it == entries_.begin())
        return {base_offset_, 0};
    return *std::prev(it);
}

offset_index::entry offset_index::lookup_position(uint64_t position) const {
    auto it = std::upper_bound(entries_.begin(), entries_.end(), position,
                               [](uint64_t p, const entry& e) { return p < e.position; });
    if (it == entries_.begin())
        return {base_offset_, 0};
    return *std::prev(it);
}

} // namespace strata::storage
