#include "strata/cluster/partition.h"

#include <algorithm>

namespace strata::cluster {

namespace {

void wake(std::vector<std::weak_ptr<waiter>>& waiters) {
    // Waiters hold the only strong reference; expired ones belong to
    // requests that already timed out.
    for (auto& weak : waiters)
        if (auto w = weak.lock()) w->wake();
    waiters.clear();
}

} // namespace

void partition::notify_append() {
    wake(fetch_waiters_);
    // A leader alone in its ISR commits what it appends.
    if (is_leader() && replicated() && advance_high_watermark()) wake(commit_waiters_);
}

void partition::wake_all() {
    wake(fetch_waiters_);
    wake(commit_waiters_);
}

bool partition::in_isr(int32_t replica) const {
    return std::ranges::find(assignment_.isr, replica) != assignment_.isr.end();
}

void partition::set_assignment(partition_assignment a, int64_t now_ms) {
    const bool was_leader = is_leader();
    const int32_t old_epoch = assignment_.leader_epoch;
    assignment_ = std::move(a);
    if (log_ && !replicated()) high_watermark_ = log_->log_end_offset();
    if (is_leader() && (!was_leader || assignment_.leader_epoch != old_epoch)) {
        // A new leadership: followers start unknown, with a full lag allowance.
        followers_.clear();
        for (int32_t r : assignment_.replicas)
            if (r != self_) followers_[r] = follower_progress{-1, now_ms, -1, now_ms};
    } else if (is_leader()) {
        // The same leadership with other replicas (a reassignment): new ones
        // start unknown, removed ones are forgotten.
        std::erase_if(followers_, [&](const auto& f) { return std::ranges::find(assignment_.replicas, f.first) == assignment_.replicas.end(); });
        for (int32_t r : assignment_.replicas)
            if (r != self_) followers_.try_emplace(r, follower_progress{-1, now_ms, -1, now_ms});
    } else {
        followers_.clear();
    }
    if (is_leader() && replicated()) advance_high_watermark();
    wake_all();
}

bool partition::record_follower_fetch(int32_t replica, int64_t fetch_offset, int64_t now_ms) {
    auto it = followers_.find(replica);
    if (it == followers_.end()) return false;
    auto& f = it->second;
    f.log_end = fetch_offset;
    // Kafka's rule: caught up now if it has everything, or since its last
    // fetch if it has everything the leader had then (under steady load a
    // follower is never exactly at the end, yet never falls behind).
    const int64_t leader_end = log_->log_end_offset();
    if (fetch_offset >= leader_end)
        f.caught_up_ms = now_ms;
    else if (f.leader_end_at_last_fetch >= 0 && fetch_offset >= f.leader_end_at_last_fetch)
        f.caught_up_ms = std::max(f.caught_up_ms, f.last_fetch_ms);
    f.leader_end_at_last_fetch = leader_end;
    f.last_fetch_ms = now_ms;
    if (!advance_high_watermark()) return false;
    wake_all();
    return true;
}

bool partition::advance_high_watermark() {
    int64_t hw = log_->log_end_offset();
    for (int32_t r : assignment_.isr) {
        if (r == self_) continue;
        auto it = followers_.find(r);
        hw = std::min(hw, it == followers_.end() ? int64_t(-1) : it->second.log_end);
    }
    if (hw <= high_watermark_) return false;
    high_watermark_ = hw;
    return true;
}

void partition::set_follower_high_watermark(int64_t hw) {
    const int64_t before = high_watermark_;
    high_watermark_ = std::max(high_watermark_, std::min(hw, log_->log_end_offset()));
    // Consumers reading from this follower (KIP-392) see records up to it.
    if (high_watermark_ != before) wake(fetch_waiters_);
}

} // namespace strata::cluster
