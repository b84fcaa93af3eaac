#pragma once
// log_config: the per-topic settings a partition log obeys, with Kafka's
// defaults (segment.bytes, segment.ms, retention.ms, retention.bytes,
// index.interval.bytes, max.message.bytes). Topic configs can be altered at
// runtime, so a log takes a new copy through log::set_config().

#include <cstdint>

namespace strata::storage {

struct log_config {
    uint64_t segment_bytes = 1ull << 30;
    int64_t segment_ms = 7ll * 24 * 3600 * 1000;
    int64_t retention_ms = 7ll * 24 * 3600 * 1000; // -1: unlimited
    int64_t retention_bytes = -1;                  // -1: unlimited
    uint32_t index_interval_bytes = 4096;
    uint32_t max_message_bytes = 1048588;
    // message.timestamp.type=LogAppendTime: the broker stamps each batch with
    // the append time (attributes bit 3, max timestamp, CRC recomputed).
    bool log_append_time = false;
    // CreateTime bounds (message.timestamp.before/after.max.ms): a batch whose
    // timestamps lie further from the append time is INVALID_TIMESTAMP.
    int64_t timestamp_before_max_ms = INT64_MAX;
    int64_t timestamp_after_max_ms = 3600000;
};

} // namespace strata::storage
