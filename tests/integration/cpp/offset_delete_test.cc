// OffsetDelete over the wire, with Kafka 4's answers: offsets of a group
// without members go (and stay gone after a restart); a group whose members
// consume the topic keeps them (GROUP_SUBSCRIBED_TO_TOPIC), for either
// protocol; an active group that does not say what it consumes is
// NON_EMPTY_GROUP; a group that does not exist is GROUP_ID_NOT_FOUND.

#include <gtest/gtest.h>

#include "broker_process.h"
#include "raw_client.h"
#include "rdkafka_client.h"
#include "strata/coordinator/consumer_protocol.h"
#include "strata/kafka/protocol/errors.h"
#include "strata/kafka/protocol/messages/consumer_group_heartbeat.h"
#include "strata/kafka/protocol/messages/join_group.h"
#include "strata/kafka/protocol/messages/offset_commit.h"
#include "strata/kafka/protocol/messages/offset_delete.h"
#include "strata/kafka/protocol/messages/offset_fetch.h"

namespace strata::test {
namespace {

using namespace strata::kafka;

class offset_delete : public ::testing::Test {
protected:
    void SetUp() override {
        broker = std::make_unique<broker_process>(std::vector<std::string>{"group.initial.rebalance.delay.ms=0"});
        ASSERT_EQ(create_topic(broker->bootstrap(), "orders", 2), "");
        ASSERT_EQ(create_topic(broker->bootstrap(), "other", 1), "");
        c = std::make_unique<raw_client>(broker->port());
    }

    // A simple commit (no member) of `offset` to every listed partition.
    void commit(const std::string& group, const std::string& topic, std::vector<int32_t> partitions, int64_t offset,
                int32_t epoch = -1, const std::string& member = "") {
        msg::offset_commit_request req;
        req.group_id = group;
        req.generation_id_or_member_epoch = epoch;
        req.member_id = member;
        auto& t = req.topics.emplace_back();
        t.name = topic;
        for (int32_t p : partitions) t.partitions.push_back({p, offset, -1, std::string()});
        c->send(req, 9);
        auto resp = c->receive<msg::offset_commit_response>(9);
        ASSERT_TRUE(resp);
        for (const auto& p : resp->topics.at(0).partitions) ASSERT_EQ(p.error_code, 0) << group << " " << topic;
    }

    int64_t committed(const std::string& group, const std::string& topic, int32_t partition) {
        msg::offset_fetch_request req;
        auto& g = req.groups.emplace_back();
        g.group_id = group;
        g.topics.emplace();
        g.topics->push_back({topic, {partition}});
        c->send(req, 9);
        auto resp = c->receive<msg::offset_fetch_response>(9);
        return resp ? resp->groups.at(0).topics.at(0).partitions.at(0).committed_offset : -100;
    }

    // OffsetDelete of the listed topics' partitions: "<group error>" then
    // " topic-partition:error" for each partition answered.
    std::string delete_offsets(const std::string& group,
                               const std::vector<std::pair<std::string, std::vector<int32_t>>>& topics) {
        msg::offset_delete_request req;
        req.group_id = group;
        for (const auto& [name, partitions] : topics) {
            auto& t = req.topics.emplace_back();
            t.name = name;
            for (int32_t p : partitions) t.partitions.push_back({p});
        }
        c->send(req, 0);
        auto resp = c->receive<msg::offset_delete_response>(0);
        if (!resp) return "no response";
        std::string out = std::to_string(resp->error_code);
        for (const auto& t : resp->topics)
            for (const auto& p : t.partitions)
                out += " " + t.name + "-" + std::to_string(p.partition_index) + ":" + std::to_string(p.error_code);
        return out;
    }

    // A classic member (JoinGroup v3, no member-id round trip) of `group`.
    void join_classic(const std::string& group, const std::string& protocol_type, std::vector<uint8_t> metadata) {
        msg::join_group_request req;
        req.group_id = group;
        req.session_timeout_ms = 30000;
        req.rebalance_timeout_ms = 30000;
        req.protocol_type = protocol_type;
        req.protocols.push_back({"range", std::move(metadata)});
        c->send(req, 3);
        auto resp = c->receive<msg::join_group_response>(3);
        ASSERT_TRUE(resp);
        ASSERT_EQ(resp->error_code, 0);
    }

    static std::string err(error_code e) { return std::to_string(code(e)); }

    std::unique_ptr<broker_process> broker;
    std::unique_ptr<raw_client> c;
};

TEST_F(offset_delete, offsets_of_a_group_without_members_are_deleted_for_good) {
    commit("idle", "orders", {0, 1}, 10);
    EXPECT_EQ(delete_offsets("idle", {{"orders", {0}}}), "0 orders-0:0");
    EXPECT_EQ(committed("idle", "orders", 0), -1);
    EXPECT_EQ(committed("idle", "orders", 1), 10);
    // A partition without an offset and a topic that does not exist.
    EXPECT_EQ(delete_offsets("idle", {{"orders", {0}}, {"missing", {0}}}),
              "0 orders-0:0 missing-0:" + err(error_code::unknown_topic_or_partition));

    ASSERT_EQ(broker->stop(), 0);
    broker->start();
    c = std::make_unique<raw_client>(broker->port());
    EXPECT_EQ(committed("idle", "orders", 0), -1);
    EXPECT_EQ(committed("idle", "orders", 1), 10);
}

TEST_F(offset_delete, a_group_that_does_not_exist_is_group_id_not_found) {
    EXPECT_EQ(delete_offsets("nobody", {{"orders", {0}}}), err(error_code::group_id_not_found));
}

TEST_F(offset_delete, a_classic_consumer_group_keeps_the_offsets_of_topics_its_members_subscribe) {
    commit("classic", "orders", {0, 1}, 5);
    commit("classic", "other", {0}, 6);
    join_classic("classic", "consumer", coordinator::encode_subscription({"orders"}));
    EXPECT_EQ(delete_offsets("classic", {{"orders", {0, 1}}, {"other", {0}}}),
              "0 orders-0:" + err(error_code::group_subscribed_to_topic) +
                  " orders-1:" + err(error_code::group_subscribed_to_topic) + " other-0:0");
    EXPECT_EQ(committed("classic", "orders", 0), 5);
    EXPECT_EQ(committed("classic", "other", 0), -1);
}

TEST_F(offset_delete, an_active_group_of_another_protocol_type_is_non_empty_group) {
    // A Connect-style group: its members' metadata names no topics.
    commit("workers", "other", {0}, 3);
    join_classic("workers", "connect", {1, 2, 3});
    EXPECT_EQ(delete_offsets("workers", {{"other", {0}}}), err(error_code::non_empty_group));
    EXPECT_EQ(committed("workers", "other", 0), 3);
}

TEST_F(offset_delete, a_consumer_protocol_group_keeps_the_offsets_of_topics_its_members_subscribe) {
    msg::consumer_group_heartbeat_request hb;
    hb.group_id = "kip848";
    hb.member_id = "member-1";
    hb.member_epoch = 0;
    hb.rebalance_timeout_ms = 30000;
    hb.subscribed_topic_names = std::vector<std::string>{"orders"};
    hb.topic_partitions.emplace();
    c->send(hb, 1);
    auto joined = c->receive<msg::consumer_group_heartbeat_response>(1);
    ASSERT_TRUE(joined);
    ASSERT_EQ(joined->error_code, 0);
    commit("kip848", "orders", {0}, 8, joined->member_epoch, "member-1");
    commit("kip848", "other", {0}, 9, joined->member_epoch, "member-1");
    EXPECT_EQ(delete_offsets("kip848", {{"orders", {0}}, {"other", {0}}}),
              "0 orders-0:" + err(error_code::group_subscribed_to_topic) + " other-0:0");
    EXPECT_EQ(committed("kip848", "orders", 0), 8);
    EXPECT_EQ(committed("kip848", "other", 0), -1);
}

} // namespace
} // namespace strata::test
