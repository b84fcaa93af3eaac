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
#include "strata/storage/sparse_index.h"

namespace strata::storage {

struct time_index_format {
    struct entry {
        int64_t timestamp;
        int64_t offset; // absolute
    };
    static constexpr size_t size = 12;
    static entry decode(const uint8_t* p, int64_t base);
    static void encode(const entry& e, int64_t base, uint8_t* p);
    static bool follows(const entry& prev, const entry& next) {
        return next.timestamp > prev.timestamp && next.offset > prev.offset;
    }
};

class time_index : public sparse_index<time_index_format> {
public:
    // Opens (creating when missing) and loads; malformed files load as empty
    // with corrupt() set.
    static result<std::unique_ptr<time_index>, errc> open(const std::filesystem::path& path, int64_t base_offset);
    bool consistent_with(int64_t next_offset) const;
    // Adds (timestamp, offset) unless the timestamp does not exceed the last
    // entry's (Kafka's maybeAppend) or the offset does not advance.
    void maybe_append(int64_t timestamp, int64_t offset);
    // The largest entry with timestamp <= `timestamp`.
    std::optional<entry> lookup(int64_t timestamp) const;
    std::optional<entry> last() const;

private:
    using sparse_index::sparse_index;
};

} // namespace strata::storage
