#pragma once
// log_cleaner: compacts the logs of one log_manager whose cleanup.policy
// includes compact, one cleaning_pass at a time (Kafka's LogCleaner with one
// thread, and its LogCleanerManager's choice of log).
//
// The owner calls step() from its periodic housekeeping and, while step()
// says more work is pending, again soon after: each step reads at most
// step_bytes, so the thread that also serves produce and fetch is never held
// long. Without a pass under way, a step looks (at most every backoff_ms) for
// the due log with the highest dirty ratio (see cleanable_section::due) and
// starts a pass on it. Each finished pass is logged at info level with the
// bytes before and after. A log whose pass fails (a corrupt batch, an I/O
// error) is logged and left alone until restart, as Kafka marks it uncleanable.
// What the passes did adds up in totals(), which the broker exports as metrics.
//
// Owned by the broker; runs on the broker thread, the one that owns the logs.

#include <cstdint>
#include <memory>
#include <set>

#include "strata/base/types.h"
#include "strata/storage/cleaning_pass.h"
#include "strata/storage/log_manager.h"

namespace strata::storage {

struct cleaner_config {
    bool enabled = true;                         // log.cleaner.enable
    int64_t backoff_ms = 15000;                  // log.cleaner.backoff.ms
    size_t dedupe_buffer_bytes = 128ull << 20;   // log.cleaner.dedupe.buffer.size
    uint64_t step_bytes = 1 << 20;               // read per step
};

// Since start-up. Removed bytes and records count passes that completed; bytes
// read count every pass, including abandoned and failed ones.
struct cleaner_totals {
    int64_t passes_cleaned = 0;
    int64_t passes_abandoned = 0;  // the log's segments changed, or the log went, meanwhile
    int64_t passes_failed = 0;     // the log became uncleanable
    uint64_t bytes_read = 0;
    uint64_t bytes_removed = 0;    // segment bytes before the pass minus after
    int64_t records_removed = 0;
    int64_t tombstones_removed = 0;
    double last_pass_seconds = 0;  // wall time of the last completed pass, first step to swap
    // The highest dirty ratio over the compacted logs at the last look for
    // work (Kafka's max-dirty-percent, as a fraction); not updated during a pass.
    double max_dirty_ratio = 0;
    size_t uncleanable_partitions = 0;
};

class log_cleaner {
public:
    log_cleaner(log_manager& logs, cleaner_config cfg) : logs_(logs), cfg_(cfg) {}
    log_cleaner(const log_cleaner&) = delete;
    log_cleaner& operator=(const log_cleaner&) = delete;

    // Does one bounded piece of work; true when a pass is under way (or just
    // ended) and the next step should come soon rather than at the next tick.
    bool step(int64_t now_ms);
    bool cleaning() const { return pass_ != nullptr; }
    // Abandons the pass under way (before the logs close).
    void stop() { pass_.reset(); }
    cleaner_totals totals() const;

private:
    bool start_pass(int64_t now_ms);
    void finish_pass(cleaning_pass::state st, int64_t now_ms);
    // Counts the pass under way in `outcome` (one of totals_' passes_*) with
    // the bytes it read, and drops it.
    void end_pass(int64_t& outcome);

    log_manager& logs_;
    cleaner_config cfg_;
    std::unique_ptr<cleaning_pass> pass_;
    topic_partition tp_;
    const log* log_ = nullptr;  // the log of pass_, to see that it still exists
    int64_t pass_started_ms_ = 0;
    int64_t next_check_ms_ = 0;
    std::set<topic_partition> uncleanable_;
    cleaner_totals totals_;  // uncleanable_partitions is filled in by totals()
};

} // namespace strata::storage
