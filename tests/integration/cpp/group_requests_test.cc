// Group requests' less common shapes, over the wire: ListGroups with state
// and type filters, LeaveGroup v3+ with several members in one request (by
// member id, by instance id alone, and one the group does not know), a
// ConsumerGroupHeartbeat that asks for the server-side range assignor, and a
// KIP-848 member fenced for not revoking within its rebalance timeout.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "broker_process.h"
#include "raw_client.h"
#include "rdkafka_client.h"
#include "strata/kafka/protocol/errors.h"
#include "strata/kafka/protocol/messages/consumer_group_heartbeat.h"
#include "strata/kafka/protocol/messages/heartbeat.h"
#include "strata/kafka/protocol/messages/join_group.h"
#include "strata/kafka/protocol/messages/leave_group.h"
#include "strata/kafka/protocol/messages/list_groups.h"
#include "strata/kafka/protocol/messages/offset_commit.h"
#include "strata/kafka/protocol/messages/sync_group.h"

namespace strata::test {
namespace {

using namespace strata::kafka;
using heartbeat_request = msg::consumer_group_heartbeat_request;
using heartbeat_response = msg::consumer_group_heartbeat_response;

class group_requests : public ::testing::Test {
protected:
    void SetUp() override {
        broker = std::make_unique<broker_process>(std::vector<std::string>{"group.initial.rebalance.delay.ms=0"});
        c = std::make_unique<raw_client>(broker->port());
    }

    // Sends a JoinGroup for `group` (v3 for a dynamic member, v5 with an
    // instance id); the answer is read by the caller, as it may wait for others.
    void send_join(raw_client& client, const std::string& group, const std::string& member_id,
                   std::optional<std::string> instance_id = std::nullopt) {
        msg::join_group_request req;
        req.group_id = group;
        req.session_timeout_ms = 30000;
        req.rebalance_timeout_ms = 30000;
        req.member_id = member_id;
        req.group_instance_id = instance_id;
        req.protocol_type = "consumer";
        req.protocols.push_back({"range", {0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff}});
        client.send(req, instance_id ? 5 : 3);
    }
    msg::join_group_response receive_join(raw_client& client, bool static_member = false) {
        auto resp = client.receive<msg::join_group_response>(static_member ? 5 : 3);
        EXPECT_TRUE(resp);
        return resp.value_or(msg::join_group_response{});
    }
    void send_sync(raw_client& client, const std::string& group, int32_t generation, const std::string& member_id,
                   const std::vector<std::string>& assign_to = {}) {
        msg::sync_group_request req;
        req.group_id = group;
        req.generation_id = generation;
        req.member_id = member_id;
        for (const auto& m : assign_to) req.assignments.push_back({m, {1}});
        client.send(req, 3);
    }
    int16_t receive_sync(raw_client& client) {
        auto resp = client.receive<msg::sync_group_response>(3);
        return resp ? resp->error_code : int16_t(-100);
    }
    // A classic member of `group`, synced and Stable, alone in it.
    void stable_classic(const std::string& group) {
        send_join(*c, group, "");
        auto joined = receive_join(*c);
        ASSERT_EQ(joined.error_code, 0);
        send_sync(*c, group, joined.generation_id, joined.member_id, {joined.member_id});
        ASSERT_EQ(receive_sync(*c), 0);
    }

    heartbeat_response heartbeat(heartbeat_request req) {
        c->send(req, 1);
        auto resp = c->receive<heartbeat_response>(1);
        EXPECT_TRUE(resp);
        return resp.value_or(heartbeat_response{});
    }
    heartbeat_request join_request(const std::string& group, const std::string& member,
                                   std::vector<std::string> topics) {
        heartbeat_request req;
        req.group_id = group;
        req.member_id = member;
        req.member_epoch = 0;
        req.rebalance_timeout_ms = 30000;
        req.subscribed_topic_names = std::move(topics);
        req.topic_partitions.emplace();
        return req;
    }

    // ListGroups v5 with the given filters: the groups listed, "id:type/state".
    std::set<std::string> list(std::vector<std::string> states, std::vector<std::string> types = {},
                               int16_t version = 5) {
        msg::list_groups_request req;
        req.states_filter = std::move(states);
        req.types_filter = std::move(types);
        c->send(req, version);
        auto resp = c->receive<msg::list_groups_response>(version);
        if (!resp) return {"no response"};
        std::set<std::string> out;
        for (const auto& g : resp->groups)
            out.insert(g.group_id + ":" + (version >= 5 ? g.group_type + "/" : "") + g.group_state);
        return out;
    }

    std::unique_ptr<broker_process> broker;
    std::unique_ptr<raw_client> c;
};

TEST_F(group_requests, list_groups_filters_by_state_and_type) {
    stable_classic("classic-stable");
    // A group that only has committed offsets: an Empty classic group.
    msg::offset_commit_request commit;
    commit.group_id = "classic-empty";
    ASSERT_EQ(create_topic(broker->bootstrap(), "orders", 1), "");
    commit.topics.push_back({"orders", {{0, 1, -1, std::string()}}});
    c->send(commit, 9);
    auto committed = c->receive<msg::offset_commit_response>(9);
    ASSERT_TRUE(committed);
    ASSERT_EQ(committed->topics.at(0).partitions.at(0).error_code, 0);
    ASSERT_EQ(heartbeat(join_request("consumer-stable", "m1", {"orders"})).error_code, 0);

    EXPECT_EQ(list({}), (std::set<std::string>{"classic-empty:classic/Empty", "classic-stable:classic/Stable",
                                               "consumer-stable:consumer/Stable"}));
    EXPECT_EQ(list({"Stable"}),
              (std::set<std::string>{"classic-stable:classic/Stable", "consumer-stable:consumer/Stable"}));
    // Kafka compares filters without case.
    EXPECT_EQ(list({"empty"}), (std::set<std::string>{"classic-empty:classic/Empty"}));
    EXPECT_EQ(list({}, {"Consumer"}), (std::set<std::string>{"consumer-stable:consumer/Stable"}));
    EXPECT_EQ(list({"Stable"}, {"classic"}), (std::set<std::string>{"classic-stable:classic/Stable"}));
    EXPECT_EQ(list({"Stable", "Empty"}, {"classic"}),
              (std::set<std::string>{"classic-empty:classic/Empty", "classic-stable:classic/Stable"}));
    EXPECT_EQ(list({"PreparingRebalance"}), std::set<std::string>{});
    // v4 has the state filter only.
    EXPECT_EQ(list({"Stable"}, {}, 4), (std::set<std::string>{"classic-stable:Stable", "consumer-stable:Stable"}));
}

TEST_F(group_requests, leave_group_v3_removes_several_members_in_one_request) {
    raw_client other(broker->port());
    // A (dynamic) joins and leads generation 1; B (static) joins, so A rejoins.
    send_join(*c, "g", "");
    auto a1 = receive_join(*c);
    ASSERT_EQ(a1.error_code, 0);
    send_join(other, "g", "", "static-b");
    // A rejoins once B's join has started the rebalance (the two connections
    // race: a rejoin before it would just repeat generation 1).
    msg::heartbeat_request beat;
    beat.group_id = "g";
    beat.generation_id = a1.generation_id;
    beat.member_id = a1.member_id;
    int16_t beat_error = 0;
    for (int i = 0; i < 200 && beat_error != code(error_code::rebalance_in_progress); ++i) {
        c->send(beat, 3);
        auto r = c->receive<msg::heartbeat_response>(3);
        ASSERT_TRUE(r);
        beat_error = r->error_code;
        if (beat_error != code(error_code::rebalance_in_progress))
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_EQ(beat_error, code(error_code::rebalance_in_progress));
    send_join(*c, "g", a1.member_id);
    auto a = receive_join(*c);
    auto b = receive_join(other, true);
    ASSERT_EQ(a.error_code, 0);
    ASSERT_EQ(b.error_code, 0);
    ASSERT_EQ(a.generation_id, b.generation_id);
    send_sync(other, "g", b.generation_id, b.member_id);
    send_sync(*c, "g", a.generation_id, a.member_id, {a.member_id, b.member_id});
    ASSERT_EQ(receive_sync(*c), 0);
    ASSERT_EQ(receive_sync(other), 0);
    ASSERT_EQ(list({}), (std::set<std::string>{"g:classic/Stable"}));

    // A by member id, B by its instance id alone (as the admin client's
    // removeMembersFromConsumerGroup does), and a member the group never had.
    msg::leave_group_request leave;
    leave.group_id = "g";
    leave.members.push_back({a.member_id, std::nullopt, std::string("done")});
    leave.members.push_back({"", std::string("static-b"), std::nullopt});
    leave.members.push_back({"ghost", std::nullopt, std::nullopt});
    c->send(leave, 5);
    auto left = c->receive<msg::leave_group_response>(5);
    ASSERT_TRUE(left);
    EXPECT_EQ(left->error_code, 0);
    ASSERT_EQ(left->members.size(), 3u);
    std::map<std::string, int16_t> outcome;
    for (const auto& m : left->members) outcome[m.member_id + "/" + m.group_instance_id.value_or("-")] = m.error_code;
    EXPECT_EQ(outcome, (std::map<std::string, int16_t>{{a.member_id + "/-", 0},
                                                       {"/static-b", 0},
                                                       {"ghost/-", code(error_code::unknown_member_id)}}));
    EXPECT_EQ(list({}), (std::set<std::string>{"g:classic/Empty"}));
}

TEST_F(group_requests, consumer_group_heartbeat_with_the_range_assignor) {
    ASSERT_EQ(create_topic(broker->bootstrap(), "t1", 3), "");
    ASSERT_EQ(create_topic(broker->bootstrap(), "t2", 3), "");
    auto join = [&](const std::string& member) {
        auto req = join_request("ranged", member, {"t1", "t2"});
        req.server_assignor = "range";
        return heartbeat(req);
    };
    // Per topic, contiguous ranges in member id order, the first members
    // taking the remainder: a gets 0-1 of each topic, b gets 2 (the uniform
    // assignor would balance them three and three).
    auto a = join("member-a");
    ASSERT_EQ(a.error_code, 0);
    auto b = join("member-b");
    ASSERT_EQ(b.error_code, 0);

    heartbeat_request beat;
    beat.group_id = "ranged";
    beat.member_id = "member-a";
    beat.member_epoch = a.member_epoch;
    auto asked = heartbeat(beat);  // a is told to give up what goes to b
    ASSERT_EQ(asked.error_code, 0);
    ASSERT_TRUE(asked.assignment);
    beat.topic_partitions = asked.assignment->topic_partitions;  // a confirms
    auto a_final = heartbeat(beat);
    ASSERT_EQ(a_final.error_code, 0);
    EXPECT_EQ(a_final.member_epoch, b.member_epoch);

    beat.member_id = "member-b";
    beat.member_epoch = b.member_epoch;
    beat.topic_partitions.emplace();
    auto b_final = heartbeat(beat);
    ASSERT_EQ(b_final.error_code, 0);
    ASSERT_TRUE(b_final.assignment);

    auto shape = [](const std::vector<heartbeat_response::topic_partitions_data>& tps) {
        std::multiset<std::vector<int32_t>> out;
        for (auto tp : tps) {
            std::sort(tp.partitions.begin(), tp.partitions.end());
            out.insert(tp.partitions);
        }
        return out;
    };
    EXPECT_EQ(shape(asked.assignment->topic_partitions), (std::multiset<std::vector<int32_t>>{{0, 1}, {0, 1}}));
    EXPECT_EQ(shape(b_final.assignment->topic_partitions), (std::multiset<std::vector<int32_t>>{{2}, {2}}));
    std::set<std::string> topics;
    for (const auto& tp : b_final.assignment->topic_partitions) topics.insert(tp.topic_id.to_base64());
    EXPECT_EQ(topics.size(), 2u);  // one range of each topic
}

TEST_F(group_requests, a_member_that_never_revokes_is_fenced_after_its_rebalance_timeout) {
    ASSERT_EQ(create_topic(broker->bootstrap(), "held", 2), "");
    auto hold = join_request("stubborn", "holder", {"held"});
    hold.rebalance_timeout_ms = 2000;
    auto holder = heartbeat(hold);
    ASSERT_EQ(holder.error_code, 0);
    ASSERT_TRUE(holder.assignment);
    auto waiter = heartbeat(join_request("stubborn", "waiter", {"held"}));
    ASSERT_EQ(waiter.error_code, 0);

    // The holder keeps heartbeating but goes on reporting both partitions:
    // it never confirms the revocation it is asked for.
    heartbeat_request keep;
    keep.group_id = "stubborn";
    keep.member_id = "holder";
    keep.member_epoch = holder.member_epoch;
    keep.topic_partitions = holder.assignment->topic_partitions;
    heartbeat_request wait;
    wait.group_id = "stubborn";
    wait.member_id = "waiter";
    wait.member_epoch = waiter.member_epoch;
    wait.topic_partitions.emplace();
    size_t waiter_owns = 0;
    int16_t holder_error = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (holder_error == 0 && std::chrono::steady_clock::now() < deadline) {
        holder_error = heartbeat(keep).error_code;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    // Fenced (by the broker's sweep, or its own heartbeat past the deadline): UNKNOWN_MEMBER_ID, as in Kafka.
    EXPECT_EQ(holder_error, code(error_code::unknown_member_id));
    while (waiter_owns < 2 && std::chrono::steady_clock::now() < deadline) {
        auto r = heartbeat(wait);
        ASSERT_EQ(r.error_code, 0);
        wait.member_epoch = r.member_epoch;
        if (r.assignment) {
            waiter_owns = 0;
            for (const auto& tp : r.assignment->topic_partitions) waiter_owns += tp.partitions.size();
            wait.topic_partitions = r.assignment->topic_partitions;
        }
    }
    EXPECT_EQ(waiter_owns, 2u) << "the waiter gets the fenced member's partitions";
}

} // namespace
} // namespace strata::test
