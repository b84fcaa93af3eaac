#pragma once
// offset_index: the sparse offset index of one segment (`<base>.index`).
//
// On disk, Kafka's format: 8-byte entries, each the offset relative to the
// segment's base offset (uint32 BE) and the file position of a batch in the
// .log (uint32 BE); both strictly/weakly increasing. An entry (o, p) means
// the batch starting at p ends at offset o, so a lookup for any offset >= o
// may start scanning at p. Unlike Kafka, the file is not preallocated: new
// entries are kept in memory and appended to the file by flush(), which keeps
// the file always a valid prefix of the index.
//
// Owned by its segment; used on the partition's thread only.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "strata/base/result.h"
#include "strata/storage/errc.h"
#include "strata/storage/segment_file.h"
#include "strata/storage/sparse_index.h"

namespace strata::storage {

struct offset_index_format {
    struct entry {
        int64_t offset;    // absolute
        uint32_t position; // in the .log
    };
    static constexpr size_t size = 8;
    static entry decode(const uint8_t* p, int64_t base);
    static void encode(const entry& e, int64_t base, uint8_t* p);
    static bool follows(const entry& prev, const entry& next) {
        return next.offset > prev.offset && next.position >= prev.position;
    }
};

class offset_index : public sparse_index<offset_index_format> {
public:
    // Opens (creating when missing) and loads the index. A file whose size is
    // not a multiple of entry_size or whose entries are not monotonic loads as
    // empty with corrupt() set, for the segment to rebuild.
    static result<std::unique_ptr<offset_index>, errc> open(const std::filesystem::path& path, int64_t base_offset);
    // Whether every entry lies inside a log of `log_size` bytes ending at
    // offset `next_offset` - 1.
    bool consistent_with(uint64_t log_size, int64_t next_offset) const;
    // Adds an entry; ignored unless offset and position are beyond the last.
    void append(int64_t offset, uint32_t position);
    // The largest entry with offset <= `offset`, or {base_offset, 0}.
    entry lookup(int64_t offset) const;
    // The largest entry with position <= `position`, or {base_offset, 0}.
    entry lookup_position(uint64_t position) const;

private:
    using sparse_index::sparse_index;
};

} // namespace strata::storage
