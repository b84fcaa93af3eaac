#include "strata/storage/time_index.h"

#include <algorithm>


#include "strata/storage/record_batch.h"

namespace strata::storage {

time_index_format::entry time_index_format::decode(const uint8_t* p, int64_t base) {
    return {int64_t(be::load64(p)), base + be::load32(p + 8)};
}

void time_index_format::encode(const entry& e, int64_t base, uint8_t* p) {
    be::store64(p, uint64_t(e.timestamp));
    be::store32(p + 8, uint32_t(e.offset - base));
}

result<std::unique_ptr<time_index>, errc> time_index::open(const std::filesystem::path& path, int64_t base_offset) {
    auto f = segment_file::open(path, true);
    if (!f)
        return fail(f.error());
    std::unique_ptr<time_index> idx(new time_index(std::move(*f), base_offset));
    if (auto r = idx->load(path); !r)
        return fail(r.error());
    return idx;
}

bool time_index::consistent_with(int64_t next_offset) const {
    if (corrupt_)
        return false;
    return entries_.empty() || entries_.back().offset < next_offset;
}

void time_index::maybe_append(int64_t timestamp, int64_t offset) {
    if (!entries_.empty() && (timestamp <= entries_.back().timestamp || offset <= entries_.back().offset))
        return;
    entries_.push_back({timestamp, offset});
}

std::optional<time_index::entry> time_index::lookup(int64_t timestamp) const {
    auto it = std::upper_bound(entries_.begin(), entries_.end(), timestamp,
                               [](int64_t t, const entry& e) { return t < e.timestamp; });
    if (it == entries_.begin())
        return std::nullopt;
    return *std::prev(it);
}

std::optional<time_index::entry> time_index::last() const {
    if (entries_.empty())
        return std::nullopt;
    return entries_.back();
}

} // namespace strata::storage
