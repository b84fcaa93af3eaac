#pragma once
// classic_group: one group of the classic protocol (JoinGroup, SyncGroup,
// Heartbeat, LeaveGroup) in Kafka's states:
//
//   Empty --join--> PreparingRebalance --all joined or rebalance timeout-->
//   CompletingRebalance --leader's SyncGroup--> Stable --join/leave/expiry-->
//   PreparingRebalance ...; a group without members after a join phase is
//   Empty again; a deleted group is Dead.
//
// Each completed join phase starts a generation, picks one protocol every
// member supports (by vote) and a leader, who computes the assignment.
// This class is the group's membership and bookkeeping; the rules that move
// it (and its timers and parked requests) are group_coordinator's. Owned by
// group_coordinator; used on the broker thread only.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "strata/coordinator/parked_reply.h"
#include "strata/kafka/protocol/errors.h"

namespace strata::coordinator {

enum class classic_state { empty, preparing_rebalance, completing_rebalance, stable, dead };

// Kafka's names, as DescribeGroups and ListGroups report them.
std::string_view to_string(classic_state s);

struct join_protocol {
    std::string name;
    std::vector<uint8_t> metadata;
};

struct join_group_result {
    kafka::error_code error = kafka::error_code::none;
    int32_t generation = -1;
    std::optional<std::string> protocol_type;
    std::optional<std::string> protocol_name;
    std::string leader;
    std::string member_id;
    bool skip_assignment = false;
    struct member {
        std::string member_id;
        std::optional<std::string> instance_id;
        std::vector<uint8_t> metadata;
    };
    std::vector<member> members;  // the leader's only
};

struct sync_group_result {
    kafka::error_code error = kafka::error_code::none;
    std::optional<std::string> protocol_type;
    std::optional<std::string> protocol_name;
    std::vector<uint8_t> assignment;
};

struct classic_member {
    std::string id;
    std::optional<std::string> instance_id;
    std::string client_id;
    std::string client_host;
    int32_t rebalance_timeout_ms = 0;
    int32_t session_timeout_ms = 0;
    std::vector<join_protocol> protocols;  // in the member's order of preference
    std::vector<uint8_t> assignment;
    // A JoinGroup/SyncGroup of this member waiting for the phase to complete.
    std::shared_ptr<parked_reply<join_group_result>> awaiting_join;
    std::shared_ptr<parked_reply<sync_group_result>> awaiting_sync;
    // Fires when the session times out; re-armed by every sign of life.
    std::shared_ptr<boost::asio::steady_timer> session_timer;
    boost::asio::steady_timer::time_point session_deadline{};

    // The member's metadata for `protocol`; nullptr when it does not support it.
    const std::vector<uint8_t>* metadata(std::string_view protocol) const;
};

class classic_group {
public:
    explicit classic_group(std::string id) : id_(std::move(id)) {}

    const std::string& id() const { return id_; }
    classic_state state() const { return state_; }
    bool is(classic_state s) const { return state_ == s; }
    void transition_to(classic_state s, int64_t now_ms) {
        state_ = s;
        state_timestamp_ms_ = now_ms;
    }
    int32_t generation() const { return generation_; }
    const std::optional<std::string>& protocol_type() const { return protocol_type_; }
    const std::optional<std::string>& protocol_name() const { return protocol_name_; }
    const std::optional<std::string>& leader() const { return leader_; }
    int64_t state_timestamp_ms() const { return state_timestamp_ms_; }

    std::map<std::string, classic_member>& members() { return members_; }
    const std::map<std::string, classic_member>& members() const { return members_; }
    classic_member* find(const std::string& member_id);
    bool has(const std::string& member_id) const { return members_.contains(member_id); }
    // The member id a static member (group.instance.id) holds now, if any.
    const std::string* static_member_id(const std::string& instance_id) const;
    bool is_leader(const std::string& member_id) const { return leader_ && *leader_ == member_id; }

    // The first member of an empty group sets the group's protocol type.
    void set_protocol_type(std::string type) { protocol_type_ = std::move(type); }
    // Adds a member; the first member of a group leads it.
    classic_member& add(classic_member m);
    void remove(const std::string& member_id);
    // Gives a static member a new member id (the same instance restarted).
    classic_member& replace_id(const std::string& old_id, const std::string& new_id);

    // Whether a member of `type` offering `names` may join: an empty group
    // takes any non-empty protocol set; otherwise the type must match and
    // one of the names must be supported by every current member.
    bool supports(const std::string& type, const std::vector<join_protocol>& protocols) const;
    // The protocol every member supports that most members prefer.
    std::string select_protocol() const;
    // Starts the next generation after a join phase; Empty when no member is left.
    void next_generation(int64_t now_ms);

    // The longest rebalance timeout of the members: the join phase's deadline.
    int32_t rebalance_timeout_ms() const;
    size_t awaiting_join_count() const;

    // Member ids handed out with MEMBER_ID_REQUIRED (KIP-394) and not yet used.
    std::map<std::string, std::shared_ptr<boost::asio::steady_timer>>& pending_members() { return pending_; }
    const std::map<std::string, std::shared_ptr<boost::asio::steady_timer>>& pending_members() const {
        return pending_;
    }
    // Members that were sent a join response and have not synced yet.
    std::set<std::string>& pending_sync() { return pending_sync_; }

    // Topics the members subscribe to, from their consumer-protocol metadata;
    // nullopt when the group does not use the consumer protocol or cannot be read.
    std::optional<std::set<std::string>> subscribed_topics() const;
    bool subscribed_to(const std::string& topic) const;

    // The group as a __consumer_offsets group-metadata value (Kafka's
    // GroupMetadataValue, version 3, prefixed with its version).
    std::vector<uint8_t> encode() const;
    // The group a group-metadata value describes; nullopt when unreadable.
    // Its members are known but must rejoin: the caller arms their sessions.
    static std::optional<classic_group> decode(const std::string& id, std::span<const uint8_t> value, int64_t now_ms);

    // Timer for the join phase (initial delay and rebalance timeout) and the
    // sync deadline; `timer_epoch` tells a current expiry from a stale one.
    std::shared_ptr<boost::asio::steady_timer> rebalance_timer;
    uint64_t timer_epoch = 0;
    // The initial delay of an empty group's first join is running.
    bool initial_delay = false;

private:
    std::string id_;
    classic_state state_ = classic_state::empty;
    int64_t state_timestamp_ms_ = -1;
    int32_t generation_ = 0;
    std::optional<std::string> protocol_type_;
    std::optional<std::string> protocol_name_;
    std::optional<std::string> leader_;
    std::map<std::string, classic_member> members_;
    std::map<std::string, std::shared_ptr<boost::asio::steady_timer>> pending_;
    std::set<std::string> pending_sync_;
};

} // namespace strata::coordinator
