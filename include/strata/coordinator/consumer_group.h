#pragma once
// consumer_group: one group of the KIP-848 consumer protocol. The broker
// computes the assignment; members learn it through heartbeats.
//
// Epochs: the group epoch grows whenever membership or a subscription
// changes; a target assignment is computed for it by the group's assignor.
// Each member then converges on its share of the target: partitions it must
// give up are revoked first (the member keeps its epoch and is told its
// assignment without them), and a partition is handed to its new owner only
// once no other member still owns it. A member that has converged carries
// the target's epoch. Heartbeats with an old epoch are fenced.
//
// Pure state, no timers or I/O: the caller supplies the time and the
// partition counts, so the class is deterministic to test. Owned by the group
// coordinator; used on the broker thread only.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "strata/coordinator/assignor.h"
#include "strata/kafka/protocol/errors.h"

namespace strata::coordinator {

struct consumer_heartbeat {
    std::string member_id;       // empty on a first join (v0): the group assigns one
    int32_t member_epoch = 0;    // 0 joins, -1 leaves, -2 leaves temporarily (static member)
    std::optional<std::string> instance_id;
    int32_t rebalance_timeout_ms = -1;
    std::optional<std::vector<std::string>> subscribed_topics;  // null: unchanged
    std::optional<std::string> server_assignor;                 // null: unchanged
    std::optional<topic_partitions> owned;  // null: unchanged since the last heartbeat
    // Reported by DescribeGroups/ConsumerGroupDescribe only.
    std::optional<std::string> rack_id;
    std::optional<std::string> subscribed_regex;
    std::string client_id;
    std::string client_host;
};

struct consumer_heartbeat_result {
    kafka::error_code error = kafka::error_code::none;
    std::string member_id;
    int32_t member_epoch = 0;
    // Set when the member's assignment changed (or on its first heartbeat).
    std::optional<topic_partitions> assignment;
};

class consumer_group {
public:
    // `epoch`: a group restored from __consumer_offsets, empty, continues its epochs.
    explicit consumer_group(std::string group_id, int32_t epoch = 0)
        : id_(std::move(group_id)), group_epoch_(epoch), assignment_epoch_(epoch) {}

    // Handles one ConsumerGroupHeartbeat. `partitions` is the partition count
    // of every existing topic; `new_member_id` is used when the member sends none.
    consumer_heartbeat_result heartbeat(const consumer_heartbeat& hb, const std::map<std::string, int32_t>& partitions,
                                        int64_t now_ms, const std::string& new_member_id);

    // Removes members whose session expired; returns their ids.
    std::vector<std::string> expire(int64_t now_ms, int64_t session_timeout_ms);
    // Removes members that did not confirm a revocation within their
    // rebalance timeout; returns their ids.
    std::vector<std::string> fence_unrevoked(int64_t now_ms);

    const std::string& id() const { return id_; }
    int32_t group_epoch() const { return group_epoch_; }
    int32_t assignment_epoch() const { return assignment_epoch_; }
    bool empty() const { return members_.empty(); }
    size_t size() const { return members_.size(); }

    // Kafka's states: Empty, Assigning (target not yet recomputed),
    // Reconciling (members converging), Stable.
    std::string state() const;

    struct member {
        std::string id;
        std::optional<std::string> instance_id;
        std::optional<std::string> rack_id;
        std::optional<std::string> subscribed_regex;
        std::string client_id;
        std::string client_host;
        int32_t epoch = 0;
        int32_t rebalance_timeout_ms = -1;
        std::vector<std::string> subscribed;
        std::string assignor = "uniform";
        topic_partitions assigned;            // what the member owns, as the group knows it
        topic_partitions pending_revocation;  // what it was asked to give up
        int64_t last_heartbeat_ms = 0;
        // When the member is fenced unless pending_revocation is confirmed; -1 while nothing is pending.
        int64_t revocation_deadline_ms = -1;
    };
    // The epoch of a static member that left temporarily (Kafka's
    // LEAVE_GROUP_STATIC_MEMBER_EPOCH): it keeps its partitions until its
    // session times out or its instance id rejoins.
    static constexpr int32_t left_temporarily_epoch = -2;
    // The revocation deadline of a member that never sent a rebalance timeout
    // (the Java client's max.poll.interval.ms default, which it sends as one).
    static constexpr int32_t default_rebalance_timeout_ms = 300000;
    const std::map<std::string, member>& members() const { return members_; }
    const group_assignment& target() const { return target_; }

private:
    void bump_epoch() { ++group_epoch_; }
    void compute_target(const std::map<std::string, int32_t>& partitions);
    std::map<std::string, int32_t> subscribed_metadata(const std::map<std::string, int32_t>& partitions) const;
    // Moves `m` towards its target; returns whether its assignment changed.
    bool reconcile(member& m, int64_t now_ms);
    void start_revocation_deadline(member& m, int64_t now_ms) const;
    bool revocation_overdue(const member& m, int64_t now_ms) const;
    // Drops `ids` from the group and starts a new group epoch if any was there.
    void remove_members(const std::vector<std::string>& ids);
    bool owned_by_other(const std::string& member_id, const std::string& topic, int32_t partition) const;

    std::string id_;
    int32_t group_epoch_ = 0;
    int32_t assignment_epoch_ = 0;
    std::map<std::string, member> members_;
    group_assignment target_;
    // Partition counts of the subscribed topics the target was computed from:
    // a topic created or grown later triggers a new target.
    std::map<std::string, int32_t> target_metadata_;
};

} // namespace strata::coordinator
