#pragma once
// Values a partition log hands out: append outcomes, zero-copy read slices,
// durability requests. Plain structs, no owner or thread of their own.

#include <cstdint>
#include <memory>
#include <vector>

#include "strata/base/result.h"
#include "strata/storage/errc.h"
#include "strata/storage/file_sync.h"
#include "strata/storage/segment_file.h"

namespace strata::storage {

struct append_result {
    int64_t base_offset = -1; // first offset assigned (or of the original, for a duplicate)
    int64_t last_offset = -1;
    int64_t log_append_time = -1; // LogAppendTime is not supported yet: always -1
    int64_t log_start_offset = 0;
    // The payload repeated an idempotent batch already in the log; nothing was
    // written and the offsets above are the original batch's.
    bool duplicate = false;
    // A duplicate older than the batches the producer state remembers: its
    // offsets are unknown (base_offset -1); it lies at or before last_offset,
    // which is what must be committed before it is acknowledged
    // (DUPLICATE_SEQUENCE_NUMBER).
    bool offsets_unknown = false;
};

// Bytes of one segment file, whole batches only, ready for sendfile. The
// shared_ptr keeps the fd open even if the segment is deleted meanwhile.
struct file_slice {
    std::shared_ptr<segment_file> file;
    uint64_t position = 0;
    uint32_t size = 0;
};

struct read_result {
    file_slice slice; // size 0: nothing to return (at log end or high watermark)
    int64_t log_start_offset = 0;
    int64_t log_end_offset = 0;
    int64_t last_offset = -1; // the slice holds no offset past this (see segment::range)
};

// ListOffsets answer: -1/-1 when no batch qualifies.
struct timestamp_offset {
    int64_t offset = -1;
    int64_t timestamp = -1;
};

// Files to fdatasync, handed to the flusher thread; once sync() succeeds,
// every offset below `offset` is durable and the log owner calls
// log::mark_durable(offset).
struct flush_request {
    std::vector<std::shared_ptr<segment_file>> files;
    int64_t offset = 0;

    result<void, errc> sync() const {
        for (bool ok : sync_files(files))
            if (!ok)
                return fail(errc::io_error);
        return {};
    }
};

} // namespace strata::storage
