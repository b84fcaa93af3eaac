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

private:
    bool start_pass(int64_t now_ms);
    void finish_pass(cleaning_pass::state st, int64_t now_ms);

    log_manager& logs_;
    cleaner_config cfg_;
    std::unique_ptr<cleaning_pass> pass_;
    topic_partition tp_;
    const log* log_ = nullptr;  // the log of pass_, to see that it still exists
    int64_t pass_started_ms_ = 0;
    int64_t next_check_ms_ = 0;
    std::set<topic_partition> uncleanable_;
};

} // namespace strata::storage
