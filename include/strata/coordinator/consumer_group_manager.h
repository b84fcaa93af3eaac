#pragma once
// The groups of the KIP-848 consumer protocol, by group id: heartbeats,
// session expiry, rebalance-timeout fencing and the commit rules for their members. Keeps the client
// facts DescribeGroups reports (client id, host, regex). Lives on the broker thread.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "strata/cluster/topic_table.h"
#include "strata/coordinator/consumer_group.h"

namespace strata::coordinator {

struct consumer_group_settings {
    int32_t session_timeout_ms = 45000;    // group.consumer.session.timeout.ms
    int32_t heartbeat_interval_ms = 5000;  // group.consumer.heartbeat.interval.ms
};

class consumer_group_manager {
public:
    consumer_group_manager(cluster::topic_table& topics, consumer_group_settings settings)
        : topics_(topics), settings_(settings) {}

    consumer_heartbeat_result heartbeat(const std::string& group_id, const consumer_heartbeat& hb, int64_t now_ms);
    // Drops members whose session expired, and members that did not confirm
    // a revocation within their rebalance timeout, in every group (an emptied group stays).
    void expire(int64_t now_ms);

    // nullopt when `group` is not a consumer-protocol group; otherwise the
    // verdict for an OffsetCommit of `partitions` with this member id and epoch.
    // A commit from an older epoch of the member is accepted when the member
    // still owns every partition it commits: its commit crossed the heartbeat
    // that moved it to a new epoch, and refusing it would fail the client's
    // commitSync. Any other epoch is STALE_MEMBER_EPOCH, an unknown member UNKNOWN_MEMBER_ID.
    // Members commit with OffsetCommit v9 or later (UNSUPPORTED_VERSION before).
    std::optional<kafka::error_code> validate_offset_commit(const std::string& group, int32_t member_epoch,
                                                            const std::string& member_id,
                                                            const topic_partitions& partitions,
                                                            int16_t api_version) const;

    // Drops `group` if it exists and has no members (DeleteGroups, conversion
    // to the classic protocol, offsets expiry); false otherwise.
    bool remove_empty(const std::string& group);

    const consumer_group* find(const std::string& group) const;
    const std::map<std::string, consumer_group, std::less<>>& groups() const { return groups_; }
    const consumer_group_settings& settings() const { return settings_; }
    // Told of every new group epoch (the rebalances metric).
    void on_rebalance(std::function<void(const std::string&)> f) { on_rebalance_ = std::move(f); }
    // Told what to store in __consumer_offsets: a group's new epoch, or
    // nullopt when the group is removed.
    void on_persist(std::function<void(const std::string&, std::optional<int32_t>)> f) { on_persist_ = std::move(f); }
    // Replays a group's metadata record at start-up: the group exists, empty,
    // at `epoch`, or (nullopt) no longer. Its members rejoin.
    void restore(const std::string& group, std::optional<int32_t> epoch);

    // Drops the groups `moved` selects: this broker no longer coordinates them.
    void unload(const std::function<bool(const std::string&)>& moved) {
        std::erase_if(groups_, [&](const auto& entry) { return moved(entry.first); });
    }

    // Every existing topic's partition count, which assignors work from.
    std::map<std::string, int32_t> partition_counts() const;

private:
    cluster::topic_table& topics_;
    consumer_group_settings settings_;
    std::map<std::string, consumer_group, std::less<>> groups_;
    std::function<void(const std::string&)> on_rebalance_;
    std::function<void(const std::string&, std::optional<int32_t>)> on_persist_;
    void epoch_changed(const std::string& group, int32_t epoch);
};

} // namespace strata::coordinator
