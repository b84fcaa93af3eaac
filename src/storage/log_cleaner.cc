#include "strata/storage/log_cleaner.h"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace strata::storage {

bool log_cleaner::step(int64_t now_ms) {
    if (!cfg_.enabled)
        return false;
    if (!pass_)
        return start_pass(now_ms);
    // The log may have been deleted since the last step (a deleted and
    // recreated topic has a new generation, which the pass notices).
    if (logs_.get(tp_) != log_) {
        end_pass(totals_.passes_abandoned);
        return true;
    }
    auto st = pass_->step(now_ms, cfg_.step_bytes);
    if (!st) {
        spdlog::error("cleaner: cleaning {} failed ({}); it is not cleaned again until restart",
                      log_manager::dir_name(tp_), to_string(st.error()));
        uncleanable_.insert(tp_);
        end_pass(totals_.passes_failed);
        return true;
    }
    if (*st != cleaning_pass::state::working)
        finish_pass(*st, now_ms);
    return true;
}

bool log_cleaner::start_pass(int64_t now_ms) {
    if (now_ms < next_check_ms_)
        return false;
    log* filthiest = nullptr;
    double best = -1;
    totals_.max_dirty_ratio = 0;
    for (const auto& [tp, l] : logs_.logs()) {
        if (!l->config().cleanup_compact || uncleanable_.contains(tp))
            continue;
        auto s = cleaning_pass::assess(*l, now_ms);
        totals_.max_dirty_ratio = std::max(totals_.max_dirty_ratio, s.dirty_ratio());
        if (!s.due(l->config()))
            continue;
        // A log past max.compaction.lag.ms goes first, as in Kafka.
        double rank = s.dirty_ratio() + (s.max_lag_exceeded ? 1.0 : 0.0);
        if (rank > best) {
            best = rank;
            filthiest = l.get();
            tp_ = tp;
        }
    }
    if (!filthiest) {
        next_check_ms_ = now_ms + cfg_.backoff_ms;
        return false;
    }
    log_ = filthiest;
    pass_started_ms_ = now_ms;
    pass_ = std::make_unique<cleaning_pass>(*filthiest, now_ms, cfg_.dedupe_buffer_bytes);
    spdlog::debug("cleaner: cleaning {} (dirty ratio {:.2f}, {} dirty bytes from offset {})",
                  log_manager::dir_name(tp_), pass_->section().dirty_ratio(), pass_->section().dirty_bytes,
                  pass_->section().first_dirty);
    return true;
}

void log_cleaner::finish_pass(cleaning_pass::state st, int64_t now_ms) {
    if (st == cleaning_pass::state::done) {
        const auto& s = pass_->stats();
        if (s.bytes_before > s.bytes_after) totals_.bytes_removed += s.bytes_before - s.bytes_after;
        totals_.records_removed += s.records_removed;
        totals_.tombstones_removed += s.tombstones_removed;
        totals_.last_pass_seconds = double(now_ms - pass_started_ms_) / 1000.0;
        spdlog::info("cleaner: cleaned {}: {} segments ({} bytes) into {} ({} bytes), {} records removed "
                     "({} tombstones), {} bytes read in {} ms",
                     log_manager::dir_name(tp_), s.segments_before, s.bytes_before, s.segments_after,
                     s.bytes_after, s.records_removed, s.tombstones_removed, s.bytes_read,
                     now_ms - pass_started_ms_);
        end_pass(totals_.passes_cleaned);
    } else {
        spdlog::debug("cleaner: abandoned cleaning {}: its segments changed meanwhile", log_manager::dir_name(tp_));
        end_pass(totals_.passes_abandoned);
    }
}

void log_cleaner::end_pass(int64_t& outcome) {
    ++outcome;
    totals_.bytes_read += pass_->stats().bytes_read;
    pass_.reset();
}

cleaner_totals log_cleaner::totals() const {
    cleaner_totals t = totals_;
    t.uncleanable_partitions = uncleanable_.size();
    return t;
}

} // namespace strata::storage
