#pragma once
// Record-level searches inside one stored batch, for ListOffsets: Kafka answers
// a timestamp query with the exact record, not the batch that contains it.

#include <cstdint>
#include <optional>
#include <span>

#include "strata/base/result.h"
#include "strata/storage/errc.h"

namespace strata::storage {

struct record_hit {
    int64_t offset;
    int64_t timestamp;
};

// The first record of `batch` (a whole stored batch, header included) whose
// timestamp is >= `timestamp`; nullopt when none is. Decompresses as needed.
result<std::optional<record_hit>, errc> first_record_at_or_after(std::span<const uint8_t> batch, int64_t timestamp);

} // namespace strata::storage
