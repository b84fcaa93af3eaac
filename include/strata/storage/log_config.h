#pragma once
// log_config: the per-topic settings a partition log obeys, with Kafka's
// defaults (segment.bytes, segment.ms, retention.ms, retention.bytes,
// index.interval.bytes, max.message.bytes, cleanup.policy and the compaction
// settings). Topic configs can be altered at runtime, so a log takes a new
// copy through log::set_config().

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
    // cleanup.policy: "delete" lets retention.ms/bytes delete old segments,
    // "compact" has the log cleaner keep the latest record per key; both may
    // be set ("compact,delete").
    bool cleanup_delete = true;
    bool cleanup_compact = false;
    // How long a tombstone (null value) stays after its batch's max timestamp.
    int64_t delete_retention_ms = 86400000;
    // A segment is cleaned only once its max timestamp is this old...
    int64_t min_compaction_lag_ms = 0;
    // ...and a log is cleaned whatever its dirty ratio once its oldest dirty
    // segment is this old (the active segment rolls by then too).
    int64_t max_compaction_lag_ms = INT64_MAX;
    double min_cleanable_dirty_ratio = 0.5;

    // segment.ms as a compacted log obeys it: records must leave the active
    // segment within max.compaction.lag.ms to be cleanable (Kafka's maxSegmentMs).
    int64_t roll_ms() const {
        return cleanup_compact && max_compaction_lag_ms < segment_ms ? max_compaction_lag_ms : segment_ms;
    }
};

} // namespace strata::storage
