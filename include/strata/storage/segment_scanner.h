#pragma once
// segment_scanner: walks the batches of a .log file from a batch boundary,
// reading through a caller-owned scratch buffer in large chunks so a scan
// costs one pread per chunk rather than one per batch, and allocates nothing
// once the scratch buffer has grown.
//
// It checks only framing (the length prefix is sane and the batch fits in the
// file); CRC and magic checks are the caller's (segment::recover). Created on
// the stack by a segment on the partition's thread.

#include <cstdint>
#include <span>
#include <vector>

#include "strata/base/result.h"
#include "strata/storage/errc.h"
#include "strata/storage/record_batch.h"
#include "strata/storage/segment_file.h"

namespace strata::storage {

class segment_scanner {
public:
    enum class status {
        batch, // current() holds the next batch
        end,   // clean end: `end` reached exactly at a batch boundary
        torn,  // the bytes at position() are not a whole, sanely framed batch
    };
    struct item {
        uint64_t position = 0;
        batch_header header{};
        std::span<const uint8_t> bytes; // the whole batch, only in whole mode
    };

    // Scans [start, end) of `file`. In whole mode each batch's bytes are
    // available through current().bytes; otherwise only its header is read.
    segment_scanner(const segment_file& file, uint64_t start, uint64_t end, std::vector<uint8_t>& scratch,
                    bool whole, size_t chunk = 64 * 1024);

    result<status, errc> next();
    const item& current() const { return current_; }
    // Start of the next batch (after the last one returned).
    uint64_t position() const { return pos_; }

private:
    // Makes [pos, pos + n) available in the window; false if the file ends first.
    result<bool, errc> ensure(uint64_t pos, size_t n);
    const uint8_t* at(uint64_t pos) const { return scratch_.data() + (pos - window_pos_); }

    const segment_file& file_;
    uint64_t pos_;
    uint64_t end_;
    std::vector<uint8_t>& scratch_;
    bool whole_;
    size_t chunk_;
    uint64_t window_pos_ = 0;
    size_t window_len_ = 0;
    item current_;
};

} // namespace strata::storage
