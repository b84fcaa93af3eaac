#pragma once
// One partition of a topic as this broker knows it: its assignment (replicas,
// ISR, leader, epochs) and, when this broker holds a replica, its log, high
// watermark and the requests waiting on it. A partition with one replica
// commits every appended record at once: its high watermark is the log end.
// With more, the leader tracks how far each follower has fetched and moves
// the high watermark to what every in-sync replica has (Kafka's rule); a
// follower takes it from its leader's fetch responses. Lives on the broker
// thread.

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "strata/base/types.h"
#include "strata/storage/log.h"

namespace strata::cluster {

// A parked request (long-polling fetch, acks=all produce). Waking cancels the
// timer, which resumes the coroutine waiting on it.
struct waiter {
    explicit waiter(boost::asio::any_io_executor ex) : timer(ex) {}
    boost::asio::steady_timer timer;
    void wake() { timer.cancel(); }
};

// Kafka's partition state: the replicas (preferred leader first), the
// in-sync replicas, the leader (-1: none), the two epochs, and, while a
// reassignment is under way (KIP-455), the replicas being added and removed
// (`replicas` then holds the target followed by those being removed).
struct partition_assignment {
    std::vector<int32_t> replicas;
    std::vector<int32_t> isr;
    int32_t leader = -1;
    int32_t leader_epoch = 0;
    int32_t partition_epoch = 0;
    std::vector<int32_t> adding;
    std::vector<int32_t> removing;
    bool operator==(const partition_assignment&) const = default;

    // A single broker's partition: it is the only replica and the leader.
    static partition_assignment sole(int32_t node_id) { return {{node_id}, {node_id}, node_id, 0, 0, {}, {}}; }
    bool reassigning() const { return !adding.empty() || !removing.empty(); }
};

class partition {
public:
    // `log` is null when this broker holds no replica of the partition.
    // `checkpointed_high_watermark` (-1: none) is where a replicated log's
    // high watermark starts: what it was at the last checkpoint before a
    // restart, within the log.
    partition(topic_partition tp, storage::log* log, partition_assignment assignment, int32_t self, int64_t now_ms,
              int64_t checkpointed_high_watermark = -1)
        : tp_(std::move(tp)), log_(log), self_(self) {
        if (log_ && checkpointed_high_watermark > 0)
            high_watermark_ = std::clamp(checkpointed_high_watermark, log_->log_start_offset(), log_->log_end_offset());
        set_assignment(std::move(assignment), now_ms);
    }

    const topic_partition& id() const { return tp_; }
    bool has_log() const { return log_ != nullptr; }
    // A replica placed on this broker, or taken away from it, by a
    // reassignment: the log it now has, or null. Wakes every waiter.
    void set_log(storage::log* log) {
        log_ = log;
        high_watermark_ = 0;
        followers_.clear();
        wake_all();
    }
    // Only when has_log().
    storage::log& log() { return *log_; }
    const storage::log& log() const { return *log_; }
    // This broker leads the partition: produce and fetch are served here.
    bool is_leader() const {
        return log_ && assignment_.leader == self_ && assignment_.leader_epoch > fenced_epoch_;
    }
    // A broker that restarts does not take up a leadership its previous run
    // held: its log may have lost what it acknowledged (an empty disk), and
    // followers that fetched from it would truncate to it. The leadership
    // counts again only from a newer leader epoch (its own re-election, or
    // another broker's). Followers fetching meanwhile get NOT_LEADER_OR_FOLLOWER.
    void fence_leadership() { fenced_epoch_ = assignment_.leader_epoch; }
    // Led by this broker in etcd, but at a fenced epoch.
    bool fenced() const { return log_ && assignment_.leader == self_ && assignment_.leader_epoch <= fenced_epoch_; }
    // This broker holds a replica another broker leads.
    bool is_follower() const { return log_ && assignment_.leader != self_ && assignment_.leader >= 0; }
    const partition_assignment& assignment() const { return assignment_; }
    // A new assignment from the cluster; `now_ms` starts the lag clock of
    // followers of a new leadership. Wakes every waiter: leadership may be gone.
    void set_assignment(partition_assignment a, int64_t now_ms);
    bool replicated() const { return assignment_.replicas.size() > 1; }
    bool in_isr(int32_t replica) const;
    int64_t high_watermark() const { return replicated() ? high_watermark_ : log_->log_end_offset(); }
    int32_t leader_epoch() const { return assignment_.leader_epoch; }

    // Leader: where a follower fetched from (its log end) at `now_ms`. True
    // when that moved the high watermark.
    bool record_follower_fetch(int32_t replica, int64_t fetch_offset, int64_t now_ms);
    // Leader: the high watermark the ISR allows now (after the ISR changed or
    // the leader appended); true when it moved.
    bool advance_high_watermark();
    // Follower: the high watermark its leader reported.
    void set_follower_high_watermark(int64_t hw);
    // After the log was truncated: nothing above its end is committed here.
    void clamp_high_watermark() { high_watermark_ = std::min(high_watermark_, log_->log_end_offset()); }
    // Leader: each follower's log end (-1 before its first fetch) and when
    // it was last caught up with the leader's log end.
    struct follower_progress {
        int64_t log_end = -1;
        int64_t caught_up_ms = 0;
        // The leader's log end and the time at the follower's previous fetch:
        // a follower that fetched from there has been caught up since then.
        int64_t leader_end_at_last_fetch = -1;
        int64_t last_fetch_ms = 0;
    };
    const std::map<int32_t, follower_progress>& followers() const { return followers_; }

    // Fetches parked until new data arrives (or the high watermark moves).
    void add_fetch_waiter(const std::shared_ptr<waiter>& w) { fetch_waiters_.push_back(w); }
    void notify_append();
    // acks=all produces parked until the high watermark moves or leadership changes.
    void add_commit_waiter(const std::shared_ptr<waiter>& w) { commit_waiters_.push_back(w); }

private:
    void wake_all();

    topic_partition tp_;
    storage::log* log_;
    int32_t self_;
    partition_assignment assignment_;
    int64_t high_watermark_ = 0;
    int32_t fenced_epoch_ = -1;
    std::map<int32_t, follower_progress> followers_;
    std::vector<std::weak_ptr<waiter>> fetch_waiters_;
    std::vector<std::weak_ptr<waiter>> commit_waiters_;
};

} // namespace strata::cluster
