// The two group protocols side by side, over the wire with exact error codes:
// a group of one protocol refuses members of the other while it has members,
// converts when it is empty (keeping its offsets), and is deleted whole; the
// group APIs are offered in Kafka 4.1's version ranges.

#include <gtest/gtest.h>

#include <map>

#include "broker_process.h"
#include "raw_client.h"
#include "rdkafka_client.h"
#include "strata/kafka/protocol/errors.h"
#include "strata/kafka/protocol/messages/api_versions.h"
#include "strata/kafka/protocol/messages/consumer_group_describe.h"
#include "strata/kafka/protocol/messages/consumer_group_heartbeat.h"
#include "strata/kafka/protocol/messages/delete_groups.h"
#include "strata/kafka/protocol/messages/describe_groups.h"
#include "strata/kafka/protocol/messages/join_group.h"
#include "strata/kafka/protocol/messages/leave_group.h"
#include "strata/kafka/protocol/messages/list_groups.h"
#include "strata/kafka/protocol/messages/offset_commit.h"
#include "strata/kafka/protocol/messages/offset_fetch.h"
#include "strata/kafka/protocol/messages/sync_group.h"

namespace strata::test {
namespace {

using namespace strata::kafka;

class group_protocols : public ::testing::Test {
protected:
    void SetUp() override {
        broker = std::make_unique<broker_process>(std::vector<std::string>{"group.initial.rebalance.delay.ms=0"});
        ASSERT_EQ(create_topic(broker->bootstrap(), "orders", 2), "");
        c = std::make_unique<raw_client>(broker->port());
    }

    // JoinGroup v3 (no KIP-394 round trip): one member completes the join at once.
    msg::join_group_response join(const std::string& member_id = "") {
        msg::join_group_request req;
        req.group_id = "g";
        req.session_timeout_ms = 30000;
        req.rebalance_timeout_ms = 30000;
        req.member_id = member_id;
        req.protocol_type = "consumer";
        auto& p = req.protocols.emplace_back();
        p.name = "range";
        p.metadata = {0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff};
        c->send(req, 3);
        auto resp = c->receive<msg::join_group_response>(3);
        EXPECT_TRUE(resp);
        return resp.value_or(msg::join_group_response{});
    }

    int16_t sync(int32_t generation, const std::string& member_id) {
        msg::sync_group_request req;
        req.group_id = "g";
        req.generation_id = generation;
        req.member_id = member_id;
        auto& a = req.assignments.emplace_back();
        a.member_id = member_id;
        a.assignment = {1, 2, 3};
        c->send(req, 3);
        auto resp = c->receive<msg::sync_group_response>(3);
        return resp ? resp->error_code : -1;
    }

    int16_t leave(const std::string& member_id) {
        msg::leave_group_request req;
        req.group_id = "g";
        auto& m = req.members.emplace_back();
        m.member_id = member_id;
        c->send(req, 3);
        auto resp = c->receive<msg::leave_group_response>(3);
        return resp ? resp->error_code : -1;
    }

    // ConsumerGroupHeartbeat v1: epoch 0 joins (subscribed to "orders"), -1 leaves.
    msg::consumer_group_heartbeat_response heartbeat(const std::string& member_id, int32_t epoch) {
        msg::consumer_group_heartbeat_request req;
        req.group_id = "g";
        req.member_id = member_id;
        req.member_epoch = epoch;
        if (epoch == 0) {
            req.rebalance_timeout_ms = 30000;
            req.subscribed_topic_names = std::vector<std::string>{"orders"};
            req.topic_partitions.emplace();
        }
        c->send(req, 1);
        auto resp = c->receive<msg::consumer_group_heartbeat_response>(1);
        EXPECT_TRUE(resp);
        return resp.value_or(msg::consumer_group_heartbeat_response{});
    }

    int16_t commit(int32_t generation, const std::string& member_id, int64_t offset, int16_t version = 9) {
        msg::offset_commit_request req;
        req.group_id = "g";
        req.generation_id_or_member_epoch = generation;
        req.member_id = member_id;
        auto& t = req.topics.emplace_back();
        t.name = "orders";
        auto& p = t.partitions.emplace_back();
        p.partition_index = 0;
        p.committed_offset = offset;
        c->send(req, version);
        auto resp = c->receive<msg::offset_commit_response>(version);
        return resp ? resp->topics.at(0).partitions.at(0).error_code : -1;
    }

    int64_t committed() {
        msg::offset_fetch_request req;
        auto& g = req.groups.emplace_back();
        g.group_id = "g";
        g.topics.emplace();
        g.topics->push_back({"orders", {0}});
        c->send(req, 9);
        auto resp = c->receive<msg::offset_fetch_response>(9);
        return resp ? resp->groups.at(0).topics.at(0).partitions.at(0).committed_offset : -100;
    }

    // ListGroups v5: "type/state" of group "g", or "" when it is not listed.
    std::string listed() {
        c->send(msg::list_groups_request{}, 5);
        auto resp = c->receive<msg::list_groups_response>(5);
        if (!resp) return "no response";
        for (const auto& g : resp->groups)
            if (g.group_id == "g") return g.group_type + "/" + g.group_state;
        return "";
    }

    std::unique_ptr<broker_process> broker;
    std::unique_ptr<raw_client> c;
};

TEST_F(group_protocols, a_group_with_members_refuses_the_other_protocol_and_an_empty_group_converts) {
    auto joined = join();
    ASSERT_EQ(joined.error_code, 0);
    ASSERT_EQ(sync(joined.generation_id, joined.member_id), 0);
    ASSERT_EQ(commit(joined.generation_id, joined.member_id, 7), 0);
    EXPECT_EQ(listed(), "classic/Stable");

    // A classic group with members is not a consumer-protocol group.
    auto refused = heartbeat("kip848-member", 0);
    EXPECT_EQ(refused.error_code, code(error_code::group_id_not_found));
    EXPECT_EQ(refused.error_message, "Group g is not a consumer group.");
    EXPECT_EQ(listed(), "classic/Stable");

    // Empty, it becomes a consumer-protocol group, offsets and all.
    ASSERT_EQ(leave(joined.member_id), 0);
    EXPECT_EQ(listed(), "classic/Empty");
    auto member = heartbeat("kip848-member", 0);
    ASSERT_EQ(member.error_code, 0);
    EXPECT_GT(member.member_epoch, 0);
    EXPECT_EQ(listed().substr(0, 9), "consumer/");
    EXPECT_EQ(committed(), 7);
    EXPECT_EQ(commit(member.member_epoch, "kip848-member", 8), 0);
    // Consumer-protocol members commit with v9+, as Kafka requires.
    EXPECT_EQ(commit(member.member_epoch, "kip848-member", 8, 8), code(error_code::unsupported_version));

    // A consumer-protocol group with members takes no classic join.
    auto classic = join();
    EXPECT_EQ(classic.error_code, code(error_code::inconsistent_group_protocol));

    // DescribeGroups describes classic groups only.
    msg::describe_groups_request describe;
    describe.groups = {"g"};
    c->send(describe, 6);
    auto described = c->receive<msg::describe_groups_response>(6);
    ASSERT_TRUE(described);
    EXPECT_EQ(described->groups.at(0).error_code, code(error_code::group_id_not_found));
    EXPECT_EQ(described->groups.at(0).group_state, "Dead");
    c->send(describe, 5);
    described = c->receive<msg::describe_groups_response>(5);
    ASSERT_TRUE(described);
    EXPECT_EQ(described->groups.at(0).error_code, 0);
    EXPECT_EQ(described->groups.at(0).group_state, "Dead");

    // The last member leaves: the group stays, an empty consumer-protocol group.
    EXPECT_EQ(heartbeat("kip848-member", -1).error_code, 0);
    EXPECT_EQ(listed(), "consumer/Empty");
    // Commits without a member epoch are for empty groups (admin tools).
    EXPECT_EQ(commit(-1, "", 9), 0);

    // And back to the classic protocol.
    auto rejoined = join();
    ASSERT_EQ(rejoined.error_code, 0);
    ASSERT_EQ(sync(rejoined.generation_id, rejoined.member_id), 0);
    EXPECT_EQ(listed(), "classic/Stable");
    EXPECT_EQ(committed(), 9);
}

TEST_F(group_protocols, deleting_an_empty_consumer_group_removes_the_group) {
    auto member = heartbeat("kip848-member", 0);
    ASSERT_EQ(member.error_code, 0);
    ASSERT_EQ(commit(member.member_epoch, "kip848-member", 4), 0);
    msg::delete_groups_request del;
    del.groups_names = {"g"};
    c->send(del, 2);
    auto deleted = c->receive<msg::delete_groups_response>(2);
    ASSERT_TRUE(deleted);
    EXPECT_EQ(deleted->results.at(0).error_code, code(error_code::non_empty_group));

    ASSERT_EQ(heartbeat("kip848-member", -1).error_code, 0);
    EXPECT_EQ(listed(), "consumer/Empty");
    c->send(del, 2);
    deleted = c->receive<msg::delete_groups_response>(2);
    ASSERT_TRUE(deleted);
    EXPECT_EQ(deleted->results.at(0).error_code, 0);
    EXPECT_EQ(listed(), "");
    EXPECT_EQ(committed(), -1);
    msg::consumer_group_describe_request describe;
    describe.group_ids = {"g"};
    c->send(describe, 1);
    auto described = c->receive<msg::consumer_group_describe_response>(1);
    ASSERT_TRUE(described);
    EXPECT_EQ(described->groups.at(0).error_code, code(error_code::group_id_not_found));
    c->send(del, 2);
    deleted = c->receive<msg::delete_groups_response>(2);
    ASSERT_TRUE(deleted);
    EXPECT_EQ(deleted->results.at(0).error_code, code(error_code::group_id_not_found));
}

TEST_F(group_protocols, a_restart_restores_each_group_with_its_protocol) {
    auto joined = join();
    ASSERT_EQ(joined.error_code, 0);
    ASSERT_EQ(sync(joined.generation_id, joined.member_id), 0);
    ASSERT_EQ(leave(joined.member_id), 0);
    // The classic group becomes a consumer-protocol group, which empties.
    ASSERT_EQ(heartbeat("kip848-member", 0).error_code, 0);
    ASSERT_EQ(heartbeat("kip848-member", -1).error_code, 0);
    ASSERT_EQ(listed(), "consumer/Empty");

    auto restart = [&] {
        ASSERT_EQ(broker->stop(), 0);
        broker->start();
        c = std::make_unique<raw_client>(broker->port());
    };
    restart();
    EXPECT_EQ(listed(), "consumer/Empty");
    // Its members rejoin after a restart.
    EXPECT_EQ(heartbeat("kip848-member", 5).error_code, code(error_code::unknown_member_id));

    msg::delete_groups_request del;
    del.groups_names = {"g"};
    c->send(del, 2);
    auto deleted = c->receive<msg::delete_groups_response>(2);
    ASSERT_TRUE(deleted);
    ASSERT_EQ(deleted->results.at(0).error_code, 0);
    EXPECT_EQ(listed(), "");
    restart();
    EXPECT_EQ(listed(), "");
}

TEST_F(group_protocols, group_apis_are_offered_in_kafka_4_1_version_ranges) {
    // Kafka 4.1.1's ranges (after KIP-896 removed old versions in 4.0).
    const std::map<int16_t, std::pair<int16_t, int16_t>> kafka = {
        {8, {2, 9}},  {9, {1, 9}},  {10, {0, 6}}, {11, {0, 9}}, {12, {0, 4}}, {13, {0, 5}}, {14, {0, 5}},
        {15, {0, 6}}, {16, {0, 5}}, {42, {0, 2}}, {47, {0, 0}}, {68, {0, 1}}, {69, {0, 1}},
    };
    c->send(msg::api_versions_request{{"strata-test"}, {"1.0"}}, 4);
    auto resp = c->receive<msg::api_versions_response>(4);
    ASSERT_TRUE(resp);
    std::map<int16_t, std::pair<int16_t, int16_t>> offered;
    for (const auto& k : resp->api_keys)
        if (kafka.contains(k.api_key)) offered[k.api_key] = {k.min_version, k.max_version};
    EXPECT_EQ(offered, kafka);
}

} // namespace
} // namespace strata::test
