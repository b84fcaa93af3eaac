#include "strata/storage/time_index.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "strata/storage/record_batch.h"

namespace strata::storage {

result<std::unique_ptr<time_index>, errc> time_index::open(const std::filesystem::path& path, int64_t base_offset) {
    auto f = segment_file::open(path, true);
    if (!f)
        return fail(f.error());
    std::unique_ptr<time_index> idx(new time_index(std::move(*f), base_offset));
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
        entry e{int64_t(be::load64(&buf[i])), base_offset + be::load32(&buf[i + 8])};
        if (!idx->entries_.empty() &&
            (e.timestamp <= idx->entries_.back().timestamp || e.offset <= idx->entries_.back().offset)) {
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

result<void, errc> time_index::truncate_to(int64_t offset) {
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

result<void, errc> time_index::reset() {
    entries_.clear();
    flushed_ = 0;
    corrupt_ = false;
    return file_->truncate(0);
}

result<void, errc> time_index::flush() {
    if (flushed_ == entries_.size())
        return {};
    std::vector<uint8_t> buf((entries_.size() - flushed_) * entry_size);
    for (size_t i = flushed_, o = 0; i < entries_.size(); ++i, o += entry_size) {
        be::store64(&buf[o], uint64_t(entries_[i].timestamp));
        be::store32(&buf[o + 8], uint32_t(entries_[i].offset - base_offset_));
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
