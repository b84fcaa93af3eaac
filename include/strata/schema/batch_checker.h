#pragma once
// Runs a record_checker over every record of one produced batch,
// decompressing it first. The verdict's views point into the batch or into
// the checker's own buffer and stay valid until the next check(). One per
// broker thread; reuses its decompression contexts and buffer.

#include <cstdint>
#include <span>
#include <vector>

#include "strata/base/result.h"
#include "strata/schema/record_checker.h"
#include "strata/storage/compression.h"
#include "strata/storage/errc.h"
#include "strata/storage/record_reader.h"

namespace strata::schema {

struct rejected_record {
    int32_t index = 0;  // within the batch, as Kafka's per-record errors count
    check_failure failure;
    storage::record_view record;
};

struct batch_verdict {
    int32_t records = 0;
    std::span<const uint8_t> records_section;  // decompressed
    std::vector<rejected_record> rejected;
};

class batch_checker {
public:
    // `batch` is one whole v2 batch that storage validation already accepted.
    result<batch_verdict, storage::errc> check(std::span<const uint8_t> batch, record_checker& checker);

private:
    storage::decompressor decompressor_;
    std::vector<uint8_t> section_;
};

} // namespace strata::schema
