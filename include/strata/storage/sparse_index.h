#pragma once
// sparse_index<Format>: what the offset and time indexes share: entries kept
// in memory in a vector, the file always a valid prefix of them (new entries
// are appended by flush(), never preallocated), loading with validation, and
// truncation. `Format` supplies the entry type and its fixed-size encoding:
//
//   struct Format {
//       struct entry { ...; int64_t offset; ... };          // absolute offset
//       static constexpr size_t size;                        // bytes per entry
//       static entry decode(const uint8_t* p, int64_t base);
//       static void encode(const entry& e, int64_t base, uint8_t* p);
//       static bool follows(const entry& prev, const entry& next); // monotonic
//   };
//
// Owned by its segment; used on the partition's thread only.

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include <spdlog/spdlog.h>

#include "strata/base/result.h"
#include "strata/storage/errc.h"
#include "strata/storage/segment_file.h"

namespace strata::storage {

template<class Format>
class sparse_index {
public:
    using entry = typename Format::entry;
    static constexpr size_t entry_size = Format::size;

    // Whether the loaded file was malformed (and so loaded empty, to rebuild).
    bool corrupt() const { return corrupt_; }
    size_t entries() const { return entries_.size(); }
    int64_t base_offset() const { return base_offset_; }
    const std::shared_ptr<segment_file>& file() const { return file_; }

    // Drops entries with offset >= `offset`.
    result<void, errc> truncate_to(int64_t offset) {
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

    // Drops every entry (before a rebuild).
    result<void, errc> reset() {
        entries_.clear();
        flushed_ = 0;
        corrupt_ = false;
        return file_->truncate(0);
    }

    // Appends entries not yet in the file, with one write.
    result<void, errc> flush() {
        if (flushed_ == entries_.size()) return {};
        // Entries are few (one per index interval), so a small buffer is fine.
        std::vector<uint8_t> buf((entries_.size() - flushed_) * entry_size);
        for (size_t i = flushed_, o = 0; i < entries_.size(); ++i, o += entry_size)
            Format::encode(entries_[i], base_offset_, &buf[o]);
        if (file_->size() != flushed_ * entry_size) {
            if (auto r = file_->truncate(flushed_ * entry_size); !r) return r;
        }
        if (auto r = file_->append(buf); !r) return r;
        flushed_ = entries_.size();
        return {};
    }

protected:
    sparse_index(std::shared_ptr<segment_file> f, int64_t base) : file_(std::move(f)), base_offset_(base) {}

    // Reads the file into entries_. A size that is not a multiple of the
    // entry size, or entries that are not monotonic, leave the index empty
    // and corrupt() set.
    result<void, errc> load(const std::filesystem::path& path) {
        uint64_t size = file_->size();
        if (size % entry_size != 0) {
            spdlog::warn("storage: {} has size {} (not a multiple of {}); rebuilding", path.string(), size, entry_size);
            corrupt_ = true;
            return {};
        }
        std::vector<uint8_t> buf(size);
        auto n = file_->pread(buf, 0);
        if (!n) return fail(n.error());
        if (*n != size) return fail(errc::io_error);
        entries_.reserve(size / entry_size);
        for (size_t i = 0; i < size; i += entry_size) {
            entry e = Format::decode(&buf[i], base_offset_);
            if (!entries_.empty() && !Format::follows(entries_.back(), e)) {
                spdlog::warn("storage: {} entry {} is not monotonic; rebuilding", path.string(), i / entry_size);
                entries_.clear();
                corrupt_ = true;
                return {};
            }
            entries_.push_back(e);
        }
        flushed_ = entries_.size();
        return {};
    }

    std::shared_ptr<segment_file> file_;
    int64_t base_offset_;
    std::vector<entry> entries_;
    size_t flushed_ = 0;  // entries_[0, flushed_) are in the file
    bool corrupt_ = false;
};

} // namespace strata::storage
