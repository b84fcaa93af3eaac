#pragma once
// The group coordinator of the classic protocol: classic groups by group id,
// moved through Kafka's states by JoinGroup, SyncGroup, Heartbeat and
// LeaveGroup, by session timeouts and by the join and sync deadlines. A
// group's metadata record and offsets live in the __consumer_offsets
// partition Kafka's placement rule assigns; the broker leading that partition
// coordinates the group (a single broker: every group).
//
// JoinGroup and SyncGroup may have to wait for other members: their
// coroutines park on a parked_reply the group completes. Timers are
// steady_timers on the executor given at construction.
// Lives on the broker thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "strata/coordinator/classic_group.h"
#include "strata/coordinator/offset_store.h"
#include "strata/kafka/protocol/errors.h"

namespace strata::coordinator {

struct classic_group_settings {
    int32_t initial_rebalance_delay_ms = 3000;  // group.initial.rebalance.delay.ms
    int32_t min_session_timeout_ms = 6000;      // group.min.session.timeout.ms
    int32_t max_session_timeout_ms = 1800000;   // group.max.session.timeout.ms
    int32_t max_size = INT32_MAX;               // group.max.size
};

struct join_group_args {
    std::string group_id;
    std::string member_id;  // empty on a first join
    std::optional<std::string> instance_id;
    std::string client_id;
    std::string client_host;
    int32_t session_timeout_ms = 0;
    int32_t rebalance_timeout_ms = -1;  // -1 (v0): the session timeout
    std::string protocol_type;
    std::vector<join_protocol> protocols;
    int16_t version = 0;  // v4+ requires a member id first (KIP-394)
};

struct sync_group_args {
    std::string group_id;
    int32_t generation = -1;
    std::string member_id;
    std::optional<std::string> instance_id;
    std::optional<std::string> protocol_type;  // v5+
    std::optional<std::string> protocol_name;  // v5+
    std::vector<std::pair<std::string, std::vector<uint8_t>>> assignments;  // the leader's
};

struct leave_member {
    std::string member_id;
    std::optional<std::string> instance_id;
};

struct leave_group_result {
    kafka::error_code error = kafka::error_code::none;
    std::vector<kafka::error_code> members;  // one per leave_member
};

class group_coordinator {
public:
    group_coordinator(boost::asio::any_io_executor ex, offset_store& offsets, classic_group_settings settings = {});
    ~group_coordinator();
    group_coordinator(const group_coordinator&) = delete;
    group_coordinator& operator=(const group_coordinator&) = delete;

    boost::asio::awaitable<join_group_result> join(join_group_args args);
    boost::asio::awaitable<sync_group_result> sync(sync_group_args args);
    kafka::error_code heartbeat(const std::string& group, int32_t generation, const std::string& member_id,
                                const std::optional<std::string>& instance_id);
    leave_group_result leave(const std::string& group, const std::vector<leave_member>& members);

    // Deletes a group without members and its committed offsets:
    // GROUP_ID_NOT_FOUND when neither exists, NON_EMPTY_GROUP when it has members.
    boost::asio::awaitable<kafka::error_code> delete_group(const std::string& group);
    // Removes a group without members and writes its tombstone, keeping its
    // offsets (a consumer-protocol heartbeat takes the group over); false when
    // there is no such group or the tombstone could not be written.
    boost::asio::awaitable<bool> remove_empty_group(const std::string& group);
    // Whether offsets of `group` may be deleted (OffsetDelete): GROUP_ID_NOT_FOUND
    // for an unknown group, NON_EMPTY_GROUP for an active group that does not
    // use the consumer protocol (its topics cannot be known).
    kafka::error_code validate_offset_delete(const std::string& group) const;

    // Whether an OffsetCommit from this member may be applied, as Kafka decides:
    // a "simple" commit (generation -1, no member) is fine for a group without
    // members; otherwise the member and generation must be current. A
    // generation for a group that does not exist is GROUP_ID_NOT_FOUND from
    // OffsetCommit v9, ILLEGAL_GENERATION before.
    kafka::error_code validate_offset_commit(const std::string& group, int32_t generation,
                                             const std::string& member_id,
                                             const std::optional<std::string>& instance_id,
                                             int16_t api_version) const;

    // Restores a group from its __consumer_offsets record (offset_store::load);
    // a null value deletes it. Restored members must rejoin within their session.
    void restore(const std::string& group, std::optional<std::span<const uint8_t>> value);

    // Drops the groups `moved` selects: this broker no longer coordinates
    // them. Their parked joins and syncs are answered NOT_COORDINATOR, so the
    // members look for the new coordinator.
    void unload(const std::function<bool(const std::string&)>& moved);

    const classic_group* find(const std::string& group) const;
    const std::map<std::string, classic_group, std::less<>>& groups() const { return groups_; }
    const classic_group_settings& settings() const { return settings_; }
    // Told of every generation that starts with members (the rebalances metric).
    void on_rebalance(std::function<void(const std::string&)> f) { on_rebalance_ = std::move(f); }
    offset_store& offsets() { return offsets_; }

private:
    using join_slot = std::shared_ptr<parked_reply<join_group_result>>;
    join_group_result join_error(kafka::error_code e, const std::string& member_id = {}) const;
    join_slot ready(join_group_result r) const;
    join_slot start_join(join_group_args& args);
    join_slot join_new_member(classic_group& g, join_group_args& args);
    join_slot join_known_member(classic_group& g, join_group_args& args);
    join_slot replace_static_member(classic_group& g, join_group_args& args, const std::string& old_id);
    join_slot add_and_park(classic_group& g, join_group_args& args);
    // Updates the member's protocols and timeouts and parks its join.
    join_slot park_join(classic_member& m, join_group_args& args);
    join_group_result current_join_response(const classic_group& g, const classic_member& m) const;
    sync_group_result start_sync(sync_group_args& args, std::shared_ptr<parked_reply<sync_group_result>>& slot);
    // UNKNOWN_MEMBER_ID / FENCED_INSTANCE_ID unless the member is current.
    kafka::error_code validate_member(const classic_group& g, const std::string& member_id,
                                      const std::optional<std::string>& instance_id) const;

    void prepare_rebalance(classic_group& g, const char* reason);
    void try_complete_join(classic_group& g);
    void complete_join(classic_group& g);
    void on_rebalance_timer(const std::string& group, uint64_t epoch);
    void arm_rebalance_timer(classic_group& g, int64_t ms);
    void arm_session(classic_group& g, classic_member& m);
    void on_session_expired(const std::string& group, const std::string& member_id);
    void arm_pending(classic_group& g, const std::string& member_id, int32_t session_timeout_ms);
    // Removes a member (leave, expiry) and moves the group on as Kafka does.
    void remove_member(classic_group& g, const std::string& member_id, kafka::error_code reply);
    void member_left(classic_group& g);
    void persist(const classic_group& g);
    std::string new_member_id(const std::string& client_id);
    classic_group* find_mutable(const std::string& group);

    boost::asio::any_io_executor ex_;
    offset_store& offsets_;
    classic_group_settings settings_;
    std::map<std::string, classic_group, std::less<>> groups_;
    std::mt19937_64 random_;
    std::function<void(const std::string&)> on_rebalance_;
};

// Wall-clock milliseconds, for state timestamps and records.
int64_t coordinator_now_ms();

} // namespace strata::coordinator
