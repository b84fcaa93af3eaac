#pragma once
// Produce-time schema validation for one partition's batch, on topics whose
// strata.{key,value}.schema.validation is not `none`. Every record of the
// batch ends up in the topic, the dead-letter topic or an error returned to
// the producer (across a crash, see below):
//
//   all records pass        the batch is appended unchanged
//   `reject` and failures   nothing is appended; the producer gets
//                           INVALID_RECORD with one error per failed record
//   `dlq` and failures      the failed records are appended to the
//                           dead-letter topic first (and, for acks=all, synced
//                           there before anything else happens), then the
//                           batch without them (storage::filter_batch) is
//                           appended to the topic.
//
// A retried idempotent batch that was appended is recognised before anything
// is checked or written, so a retry never duplicates records in either topic
// and is not counted again in the metrics. Across a crash the guarantee is:
// the topic holds every valid record of an idempotent producer exactly once;
// the dead-letter topic holds every failed record at least once. A crash
// after the dead letters are written but before the topic's batch is durable
// leaves the batch unacknowledged; its retry is not a duplicate of anything
// in the topic, so it is checked again and its failed records are written to
// the dead-letter topic a second time. If the producer gives up instead of
// retrying, it sees an error for records that are in the dead-letter topic.
// No record is ever acknowledged without being in one of the two topics.
//
// Syncing the dead-letter write inline keeps the order "dead letters durable,
// then the topic's batch appended" without reordering later appends to the
// partition; it blocks the broker thread for one fdatasync, which only
// batches with failed records on acks=all pay.
//
// Tests reach that crash window with the environment variable
// STRATA_TEST_CRASH_AFTER_DLQ_WRITE: when it is set, the broker kills itself
// (SIGKILL) right after its first dead-letter write (synced, for acks=all),
// before the topic's append.
//
// Owned by the application; broker thread only.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "strata/base/result.h"
#include "strata/cluster/topic_table.h"
#include "strata/schema/batch_checker.h"
#include "strata/schema/errc.h"
#include "strata/schema/schema_lookup.h"
#include "strata/schema/validation_probe.h"

namespace strata::schema {

struct record_error {
    int32_t index = 0;
    std::string message;
};

struct validated_batch {
    enum class outcome { unchanged, rejected, routed };
    outcome what = outcome::unchanged;
    std::vector<record_error> errors;  // rejected: one per failed record
    std::string message;               // rejected: a summary for the partition's error_message
    std::vector<uint8_t> replacement;  // routed: the batch to append instead of the produced one
    size_t dead_lettered = 0;          // routed: records written to the dead-letter topic
    // routed, when another broker leads the dead-letter partition: the
    // batch of dead letters the caller must produce there before it appends
    // `replacement` (a local dead-letter partition is written here).
    std::optional<topic_partition> remote_dead_letters;
    std::vector<uint8_t> letters;
};

inline constexpr const char* crash_after_dead_letters_env = "STRATA_TEST_CRASH_AFTER_DLQ_WRITE";

class produce_validator {
public:
    produce_validator(cluster::topic_table& topics, metrics::registry& metrics);

    // The registry; until it is set every checked record fails as unregistered.
    void set_lookup(schema_lookup* lookup) { lookup_ = lookup; }

    // `batch` is one storage-validated batch for `p` of `topic`; `durable`
    // says the producer waits for acks=all.
    result<validated_batch, errc> validate(cluster::topic& topic, cluster::partition& p,
                                           std::span<const uint8_t> batch, bool durable, int64_t now_ms);

private:
    // The dead-letter partition for `partition` of `source` (created when
    // needed), led here or elsewhere; null with the reason and whether a
    // retry may succeed (creation in progress, no leader) when there is none.
    cluster::partition* dead_letter_partition(const cluster::topic& source, int32_t partition, int64_t now_ms,
                                              std::string& why_not, bool& retriable);
    // Appends the dead letters to a partition this broker leads (synced
    // when `durable`) before the batch they came from is appended.
    result<void, errc> write_locally(cluster::partition& dlq, std::span<uint8_t> letters, bool durable,
                                     int64_t now_ms);

    cluster::topic_table& topics_;
    schema_lookup* lookup_ = nullptr;
    batch_checker checker_;
    validation_probe probe_;
    bool crash_after_dead_letters_;  // a test fault, see the comment at the top
};

} // namespace strata::schema
