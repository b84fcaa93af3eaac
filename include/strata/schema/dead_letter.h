#pragma once
// The record a rejected record becomes in its dead-letter topic: the same
// key, value, headers and timestamp, plus headers saying where it came from
// and why it was refused. Consumers of a dead-letter topic read these names.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "strata/base/result.h"
#include "strata/schema/batch_checker.h"
#include "strata/storage/errc.h"

namespace strata::schema {

namespace dead_letter_header {
inline constexpr std::string_view source_topic = "strata.dlq.source.topic";
inline constexpr std::string_view source_partition = "strata.dlq.source.partition";
inline constexpr std::string_view reason = "strata.dlq.reason";
inline constexpr std::string_view schema_id = "strata.dlq.schema.id";  // absent when the record named none
} // namespace dead_letter_header

struct dead_letter_origin {
    std::string_view topic;
    int32_t partition = 0;
    int64_t base_timestamp = 0;  // of the source batch: record timestamps are deltas from it
};

// One uncompressed batch (no producer id) holding every rejected record.
result<std::vector<uint8_t>, storage::errc> build_dead_letter_batch(const dead_letter_origin& origin,
                                                                    std::span<const rejected_record> rejected);

} // namespace strata::schema
