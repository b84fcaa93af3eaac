#pragma once
// time_index: the sparse time index of one segment (`<base>.timeindex`).
//
// On disk, Kafka's format: 12-byte entries, each a timestamp (int64 BE) and an
// offset relative to the segment's base offset (uint32 BE), both strictly
// increasing. An entry (t, o) means: the largest batch max timestamp up to
// and including offset o is t, and the batch ending at o is the first to
// reach it, so every batch before o has max timestamp < t. A search for
// timestamp T therefore starts at the largest entry with t <= T (earlier
// batches are all < T unless t == T, and then o is the first to reach T).
// As for offset_index, entries are buffered in memory and appended by flush().
//
// Owned by its segment; used on the partition's thread only.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "strata/base/result.h"
#include "strata/storage/errc.h"
#include "strata/storage/segment_file.h"

namespace strata::storage {

class time_index {
public:
    static constexpr size_t entry_size = 12;
    struct entry {
        int64_t timestamp;
        int64_t offset; // absolute
    };

    // Opens (creating when missing) and loads; malformed files load as empty
    // with corrupt() set.
    static result<std::unique_ptr<time_index>, errc> open(const std::filesystem::path& path, int64_t base_offset);

    bool corrupt() const { return corrupt_; }
    bool consistent_with(int64_t next_offset) const;

    // Adds (timestamp, offset) unless the timestamp does not exceed the last
    // entry's (Kafka's maybeAppend) or the offset does not advance.
    void maybe_append(int64_t timestamp, int64_t offset);
    // The largest entry with timestamp <= `timestamp`.
    std::optional<entry> lookup(int64_t timestamp) const;
    std::optional<entry> last() const;
    result<void, errc> truncate_to(int64_t offset);
    result<void, errc> reset();
    result<void, errc> flush();

    size_t entries() const { return entries_.size(); }
    const std::shared_ptr<segment_file>& file() const { return file_; }

private:
    time_index(std::shared_ptr<segment_file> f, int64_t base) : file_(std::move(f)), base_offset_(base) {}

    std::shared_ptr<segment_file> file_;
    int64_t base_offset_;
    std::vector<entry> entries_;
    size_t flushed_ = 0;
    bool corrupt_ = false;
};

} // namespace strata::storage
