// Topics in a cluster live in etcd: a topic created, grown, reconfigured or
// deleted through any broker is the same on every broker, its partitions are
// placed over the live brokers and served by their leaders (others answer
// NOT_LEADER_OR_FOLLOWER), a group's coordinator is the leader of its
// __consumer_offsets partition, and a broker that was away catches up on
// what changed meanwhile. Three real brokers, a real etcd, librdkafka.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "cluster_kit.h"
#include "member_process.h"
#include "partition_io.h"
#include "raw_client.h"
#include "rdkafka_client.h"
#include "strata/coordinator/offsets_topic.h"
#include "strata/kafka/protocol/messages/create_partitions.h"
#include "strata/kafka/protocol/messages/delete_topics.h"
#include "strata/kafka/protocol/messages/describe_configs.h"
#include "strata/kafka/protocol/messages/find_coordinator.h"
#include "strata/kafka/protocol/messages/incremental_alter_configs.h"
#include "strata/kafka/protocol/messages/init_producer_id.h"
#include "strata/kafka/protocol/messages/offset_commit.h"
#include "strata/kafka/protocol/messages/offset_fetch.h"
#include "strata/storage/batch_builder.h"

namespace strata::test {
namespace {

using namespace std::chrono_literals;
namespace msg = kafka::msg;
namespace fs = std::filesystem;

int16_t delete_topic(uint16_t port, const std::string& topic) {
    raw_client c(port);
    msg::delete_topics_request req;
    req.topic_names.push_back(topic);
    req.timeout_ms = 30000;
    c.send(req, 5);
    auto resp = c.receive<msg::delete_topics_response>(5);
    return resp && resp->responses.size() == 1 ? resp->responses[0].error_code : -100;
}

// OffsetCommit of `offset` for partition 0 of "orders"; the partition's error code.
int16_t commit_offset(uint16_t port, const std::string& group, int64_t offset) {
    raw_client c(port);
    msg::offset_commit_request commit;
    commit.group_id = group;
    auto& t = commit.topics.emplace_back();
    t.name = "orders";
    t.partitions.push_back({0, offset, -1, std::string("m")});
    c.send(commit, 9);
    auto resp = c.receive<msg::offset_commit_response>(9);
    return resp ? resp->topics.at(0).partitions.at(0).error_code : int16_t(-100);
}

class cluster_topics_test : public ::testing::Test {
protected:
    void SetUp() override { brokers = start_cluster(etcd, 3); }

    broker_process& node(int32_t id) { return *brokers.at(size_t(id - 1)); }

    // Every running broker describes `topic` alike, with `partitions`
    // partitions that all have a live leader; that description.
    std::optional<std::vector<partition_view>> agreed(const std::string& topic, size_t partitions) {
        std::optional<std::vector<partition_view>> first;
        for (auto& b : brokers) {
            if (!b->running()) continue;
            auto v = describe_topic(b->port(), topic);
            if (!v || v->size() != partitions) return std::nullopt;
            for (const auto& p : *v)
                if (p.error != 0 || p.leader < 0) return std::nullopt;
            if (first) {
                for (size_t i = 0; i < v->size(); ++i)
                    if ((*v)[i].leader != (*first)[i].leader || (*v)[i].replicas != (*first)[i].replicas)
                        return std::nullopt;
            }
            first = v;
        }
        return first;
    }

    // Whether broker `id` holds a log directory of `topic`'s `partition`.
    bool has_log_dir(int32_t id, const std::string& topic, int32_t partition) {
        return fs::exists(node(id).data_dir() + "/" + topic + "-" + std::to_string(partition));
    }

    etcd_process etcd;
    std::vector<std::unique_ptr<broker_process>> brokers;
};

TEST_F(cluster_topics_test, a_topic_created_on_one_broker_is_served_by_its_leaders_through_any_broker) {
    ASSERT_EQ(create_topic(node(2).bootstrap(), "orders", 6), "");
    std::optional<std::vector<partition_view>> layout;
    ASSERT_TRUE(wait_until([&] { return (layout = agreed("orders", 6)).has_value(); }, 30s));
    // Placed over every broker: two leaderships each, one replica per partition.
    std::map<int32_t, int> led;
    for (int32_t p = 0; p < 6; ++p) {
        const auto& v = (*layout)[size_t(p)];
        ASSERT_EQ(v.replicas, std::vector<int32_t>{v.leader});
        ++led[v.leader];
        // Only the replica holds a log.
        for (int32_t id = 1; id <= 3; ++id) EXPECT_EQ(has_log_dir(id, "orders", p), id == v.leader) << id << " " << p;
    }
    EXPECT_EQ(led, (std::map<int32_t, int>{{1, 2}, {2, 2}, {3, 2}}));

    // A client that knows one broker reaches every leader.
    producer prod(node(1).bootstrap(), {{"acks", "all"}});
    for (int i = 0; i < 600; ++i)
        prod.send("orders", {i % 6, -1, "k" + std::to_string(i), "v" + std::to_string(i), {}, 0});
    prod.flush();
    ASSERT_TRUE(prod.failures.empty());
    ASSERT_EQ(prod.acknowledged.size(), 600u);
    auto got = consume_all(node(3).bootstrap(), "orders", 6, 600);
    ASSERT_EQ(got.size(), 600u);
    std::map<int32_t, int64_t> next;
    for (const auto& r : got) {
        EXPECT_EQ(r.offset, next[r.partition]++) << "in order, without gaps, partition " << r.partition;
        EXPECT_EQ(r.value, "v" + r.key->substr(1));
    }

    // A broker that does not lead partition 0 refuses to append to it.
    const int32_t leader = (*layout)[0].leader;
    const int32_t other = leader % 3 + 1;
    raw_client c(node(other).port());
    storage::batch_builder b;
    b.add({std::nullopt, storage::bytes_of("misdirected"), 1700000000000, {}});
    EXPECT_EQ(produce_batch(c, "orders", *b.build()).error, 6) << "NOT_LEADER_OR_FOLLOWER";

    // A topic a producer names is created by the cluster, as Kafka auto-creates.
    producer auto_prod(node(3).bootstrap());
    auto_prod.send("auto-created", {0, -1, std::nullopt, "first", {}, 0});
    auto_prod.flush();
    ASSERT_EQ(auto_prod.acknowledged.size(), 1u);
    EXPECT_TRUE(agreed("auto-created", 1));
}

TEST_F(cluster_topics_test, deleting_growing_and_reconfiguring_through_one_broker_reaches_every_broker) {
    ASSERT_EQ(create_topic(node(1).bootstrap(), "events", 3), "");
    std::optional<std::vector<partition_view>> layout;
    ASSERT_TRUE(wait_until([&] { return (layout = agreed("events", 3)).has_value(); }, 30s));

    // Reconfigured on broker 2, described on broker 3.
    {
        raw_client c(node(2).port());
        msg::incremental_alter_configs_request req;
        auto& r = req.resources.emplace_back();
        r.resource_type = 2;
        r.resource_name = "events";
        r.configs.push_back({"retention.ms", 0, std::string("3600000")});
        c.send(req, 1);
        auto resp = c.receive<msg::incremental_alter_configs_response>(1);
        ASSERT_TRUE(resp);
        ASSERT_EQ(resp->responses.at(0).error_code, 0);
    }
    ASSERT_TRUE(wait_until(
        [&] {
            raw_client c(node(3).port());
            msg::describe_configs_request req;
            auto& r = req.resources.emplace_back();
            r.resource_type = 2;
            r.resource_name = "events";
            r.configuration_keys = std::vector<std::string>{"retention.ms"};
            c.send(req, 4);
            auto resp = c.receive<msg::describe_configs_response>(4);
            return resp && resp->results.size() == 1 && resp->results[0].configs.size() == 1 &&
                   resp->results[0].configs[0].value == "3600000";
        },
        10s));

    // Grown on broker 3 to 6 partitions: everyone sees 6, new ones placed too.
    {
        raw_client c(node(3).port());
        msg::create_partitions_request req;
        auto& t = req.topics.emplace_back();
        t.name = "events";
        t.count = 6;
        t.assignments = std::nullopt;
        req.timeout_ms = 30000;
        c.send(req, 3);
        auto resp = c.receive<msg::create_partitions_response>(3);
        ASSERT_TRUE(resp);
        ASSERT_EQ(resp->results.at(0).error_code, 0);
    }
    ASSERT_TRUE(wait_until([&] { return (layout = agreed("events", 6)).has_value(); }, 30s));
    std::set<int32_t> leaders;
    for (const auto& p : *layout) leaders.insert(p.leader);
    EXPECT_EQ(leaders, (std::set<int32_t>{1, 2, 3})) << "the new partitions are placed over the brokers too";

    // Deleted on broker 3: gone everywhere, its logs too.
    ASSERT_EQ(delete_topic(node(3).port(), "events"), 0);
    ASSERT_TRUE(wait_until(
        [&] {
            for (int32_t id = 1; id <= 3; ++id) {
                if (describe_topic(node(id).port(), "events")) return false;
                for (int32_t p = 0; p < 6; ++p)
                    if (has_log_dir(id, "events", p)) return false;
            }
            return true;
        },
        30s));
    EXPECT_EQ(delete_topic(node(1).port(), "events"), 3) << "UNKNOWN_TOPIC_OR_PARTITION";
    // The name can be used again, as a new topic.
    ASSERT_EQ(create_topic(node(2).bootstrap(), "events", 2), "");
    ASSERT_TRUE(wait_until([&] { return agreed("events", 2).has_value(); }, 30s));
}

TEST_F(cluster_topics_test, a_group_is_coordinated_by_the_leader_of_its_offsets_partition) {
    ASSERT_EQ(create_topic(node(1).bootstrap(), "orders", 1), "");
    ASSERT_TRUE(wait_until([&] { return agreed("orders", 1).has_value(); }, 30s));
    // Every broker names the same coordinator, once the offsets topic exists.
    std::set<int32_t> coordinators;
    int32_t coordinator = -1;
    ASSERT_TRUE(wait_until(
        [&] {
            coordinators.clear();
            for (auto& b : brokers) {
                raw_client c(b->port());
                msg::find_coordinator_request req;
                req.key_type = 0;
                req.coordinator_keys = {"billing"};
                c.send(req, 4);
                auto resp = c.receive<msg::find_coordinator_response>(4);
                if (!resp || resp->coordinators.size() != 1 || resp->coordinators[0].error_code != 0) return false;
                coordinators.insert(resp->coordinators[0].node_id);
            }
            coordinator = *coordinators.begin();
            return coordinators.size() == 1;
        },
        30s));
    auto offsets = agreed(std::string(coordinator::offsets_topic_name), 50);
    ASSERT_TRUE(offsets);
    EXPECT_EQ((*offsets)[size_t(coordinator::offsets_partition_for("billing", 50))].leader, coordinator);

    // Another broker does not coordinate the group: clients look again.
    EXPECT_EQ(commit_offset(node(coordinator % 3 + 1).port(), "billing", 7), 16) << "NOT_COORDINATOR";
    ASSERT_EQ(commit_offset(node(coordinator).port(), "billing", 42), 0);
    raw_client c(node(coordinator).port());
    msg::offset_fetch_request fetch;
    auto& g = fetch.groups.emplace_back();
    g.group_id = "billing";
    g.topics.emplace();
    g.topics->push_back({"orders", {0}});
    c.send(fetch, 9);
    auto fetched = c.receive<msg::offset_fetch_response>(9);
    ASSERT_TRUE(fetched);
    EXPECT_EQ(fetched->groups.at(0).topics.at(0).partitions.at(0).committed_offset, 42);
}

TEST_F(cluster_topics_test, a_broker_that_was_away_catches_up_on_topics_created_and_deleted_meanwhile) {
    ASSERT_EQ(create_topic(node(1).bootstrap(), "kept", 3), "");
    ASSERT_EQ(create_topic(node(1).bootstrap(), "dropped", 3), "");
    ASSERT_TRUE(wait_until([&] { return agreed("kept", 3) && agreed("dropped", 3); }, 30s));
    producer prod(node(1).bootstrap(), {{"acks", "all"}});
    for (int i = 0; i < 30; ++i) prod.send("kept", {i % 3, -1, std::nullopt, "r" + std::to_string(i), {}, 0});
    prod.flush();
    ASSERT_EQ(prod.acknowledged.size(), 30u);

    ASSERT_EQ(node(2).stop(), 0);
    ASSERT_EQ(delete_topic(node(1).port(), "dropped"), 0);
    ASSERT_EQ(create_topic(node(3).bootstrap(), "created", 2), "");
    node(2).start();
    ASSERT_TRUE(wait_until([&] { return agreed("kept", 3) && agreed("created", 2); }, 30s));
    EXPECT_FALSE(describe_topic(node(2).port(), "dropped"));
    for (int32_t p = 0; p < 3; ++p) EXPECT_FALSE(has_log_dir(2, "dropped", p)) << p;
    // What broker 2 led before it stopped is served again, nothing lost.
    auto got = consume_all(node(2).bootstrap(), "kept", 3, 30);
    EXPECT_EQ(got.size(), 30u);
}

TEST_F(cluster_topics_test, a_consumer_group_spread_over_the_brokers_consumes_everything_once) {
    ASSERT_EQ(create_topic(node(1).bootstrap(), "shared", 6), "");
    ASSERT_TRUE(wait_until([&] { return agreed("shared", 6).has_value(); }, 30s));
    // Members that know different brokers find the one coordinator.
    member_process first("first", node(2).bootstrap(), "sharers", "shared", "range", 10000);
    member_process second("second", node(3).bootstrap(), "sharers", "shared", "range", 10000);
    auto settled = [&] {
        auto a = first.assignment(), b = second.assignment();
        std::set<int32_t> all(a.begin(), a.end());
        all.insert(b.begin(), b.end());
        return a.size() == 3 && b.size() == 3 && all.size() == 6;
    };
    ASSERT_TRUE(wait_until(settled, 60s)) << first.describe() << " " << second.describe();
    producer prod(node(1).bootstrap(), {{"acks", "all"}});
    for (int i = 0; i < 600; ++i) prod.send("shared", {i % 6, -1, std::nullopt, std::to_string(i), {}, 0});
    prod.flush();
    ASSERT_EQ(prod.acknowledged.size(), 600u);
    ASSERT_TRUE(wait_until([&] { return first.consumed() + second.consumed() >= 600; }, 60s))
        << first.describe() << " " << second.describe();
    std::set<int64_t> numbers;
    for (const auto* m : {&first, &second})
        for (const auto& r : m->records()) EXPECT_TRUE(numbers.insert(r.number).second) << "twice: " << r.number;
    EXPECT_EQ(numbers.size(), 600u);
    EXPECT_TRUE(first.errors().empty() && second.errors().empty()) << first.describe() << " " << second.describe();
    first.send("LEAVE");
    second.send("LEAVE");
    EXPECT_EQ(first.wait(60000), 0);
    EXPECT_EQ(second.wait(60000), 0);
}

TEST_F(cluster_topics_test, producer_ids_are_unique_across_the_brokers) {
    // Each broker reserves its own block of ids in etcd; a restarted broker a new one.
    std::set<int64_t> ids;
    auto init_on = [&](int32_t id) {
        raw_client c(node(id).port());
        for (int i = 0; i < 3; ++i) {
            msg::init_producer_id_request req;
            req.transactional_id = std::nullopt;
            req.transaction_timeout_ms = 60000;
            c.send(req, 4);
            auto resp = c.receive<msg::init_producer_id_response>(4);
            ASSERT_TRUE(resp);
            ASSERT_EQ(resp->error_code, 0);
            EXPECT_TRUE(ids.insert(resp->producer_id).second) << "producer id " << resp->producer_id << " twice";
        }
    };
    for (int32_t id = 1; id <= 3; ++id) init_on(id);
    node(1).kill9();
    node(1).start();
    init_on(1);
    EXPECT_EQ(ids.size(), 12u);
}

} // namespace
} // namespace strata::test
