#include "strata/storage/offset_index.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "strata/storage/record_batch.h"

namespace strata::storage {

result<std::unique_ptr<offset_index>, errc> offset_index::open(const std::filesystem::path& path, int64_t base_offset) {
    auto f = segment_file::open(path, true);
    if (!f)
        return fail(f.error());
    std::unique_ptr<offset_index> idx(new offset_index(std::move(*f), base_offset));
    uint64_t size = idx->file_->size();
    if (size % entry_size != 0) {
        spdlog::warn("storage: {} has size {} (not a multiple of {}); rebuilding", path.string(), size, entry_size);
        idx->corrupt_ = true;
        return idx;
    }
    std::vector<uint8_t> buf(size);
    auto n = idx->file_->pread(buf, 0);
    if (!n)
        return fail(n.error());
    if (*n != size)
        return fail(errc::io_error);
    idx->entries_.reserve(size / entry_size);
    for (size_t i = 0; i < size; i += entry_size) {
        entry e{base_offset + be::load32(&buf[i]), be::load32(&buf[i + 4])};
        if (!idx->entries_.empty() &&
            (e.offset <= idx->entries_.back().offset || e.position < idx->entries_.back().position)) {
            spdlog::warn("storage: {} entry {} is not monotonic; rebuilding", path.string(), i / entry_size);
            idx->entries_.clear();
            idx->corrupt_ = true;
            return idx;
        }
        idx->entries_.push_back(e);
    }
    idx->flushed_ = idx->entries_.size();
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

result<void, errc> offset_index::truncate_to(int64_t offset) {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), offset,
                               [](const entry& e, int64_t o) { return e.offset < o; });
    size_t keep = size_t(it - entries_.begin());
    entries_.resize(keep);
    if (flushed_ > keep) {
        flushed_ = keep;
        return file_->truncate(keep * entry_size);
    }
    return {};
}

result<void, errc> offset_index::reset() {
    entries_.clear();
    flushed_ = 0;
    corrupt_ = false;
    return file_->truncate(0);
}

result<void, errc> offset_index::flush() {
    if (flushed_ == entries_.size())
        return {};
    // Index entries are few (one per index interval), so a small buffer is fine.
    std::vector<uint8_t> buf((entries_.size() - flushed_) * entry_size);
    for (size_t i = flushed_, o = 0; i < entries_.size(); ++i, o += entry_size) {
        be::store32(&buf[o], uint32_t(entries_[i].offset - base_offset_));
        be::store32(&buf[o + 4], entries_[i].position);
    }
    if (file_->size() != flushed_ * entry_size) {
        if (auto r = file_->truncate(flushed_ * entry_size); !r)
            return r;
    }
    if (auto r = file_->append(buf); !r)
        return r;
    flushed_ = entries_.size();
    return {};
}

} // namespace strata::storage
