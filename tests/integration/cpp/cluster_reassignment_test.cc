// Partition reassignment (KIP-455) with Kafka's own tool: kafka-reassign-partitions
// moves a replicated partition from one broker to another while it holds
// acknowledged records; the new replica catches up, the controller completes
// the move, the old replica's log is deleted, and every record is still
// there. kafka-log-dirs finds it on the brokers it moved to;
// kafka-leader-election moves leadership to the preferred replica.
// Three real brokers, a real etcd, Kafka 4.1's CLI tools, librdkafka.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include "cluster_kit.h"
#include "partition_io.h"
#include "raw_client.h"
#include "rdkafka_client.h"
#include "strata/kafka/protocol/messages/alter_partition_reassignments.h"
#include "strata/kafka/protocol/messages/fetch.h"
#include "strata/kafka/protocol/messages/list_partition_reassignments.h"

namespace strata::test {
namespace {

using namespace std::chrono_literals;
namespace msg = kafka::msg;
namespace fs = std::filesystem;

class cluster_reassignment_test : public ::testing::Test {
protected:
    void SetUp() override {
        brokers = start_cluster(etcd, 3,
                                {"auto.leader.rebalance.enable=false", "replica.fetch.backoff.ms=200",
                                 "log.retention.check.interval.ms=200"});
        plan_dir = fs::temp_directory_path() / ("strata-reassign-" + std::to_string(::getpid()));
        fs::create_directories(plan_dir);
    }
    void TearDown() override { fs::remove_all(plan_dir); }

    broker_process& node(int32_t id) { return *brokers.at(size_t(id - 1)); }
    bool has_log_dir(int32_t id, const std::string& topic, int32_t partition) {
        return fs::exists(node(id).data_dir() + "/" + topic + "-" + std::to_string(partition));
    }

    // The reassignments under way (partition -> replicas being added), as
    // ListPartitionReassignments on broker `via` answers.
    std::map<int32_t, std::vector<int32_t>> ongoing(const std::string& topic, int32_t via) {
        raw_client c(node(via).port());
        msg::list_partition_reassignments_request req;
        req.topics = std::nullopt;
        c.send(req, 0);
        auto resp = c.receive<msg::list_partition_reassignments_response>(0);
        std::map<int32_t, std::vector<int32_t>> out;
        if (!resp) return {{-1, {}}};
        for (const auto& t : resp->topics)
            if (t.name == topic)
                for (const auto& p : t.partitions) out[p.partition_index] = p.adding_replicas;
        return out;
    }

    // kafka-log-dirs' JSON cut into each broker's part ({"broker":N,"logDirs":[...]}).
    static std::map<int32_t, std::string> partitions_by_broker(const std::string& output) {
        std::map<int32_t, std::string> out;
        const std::string marker = "{\"broker\":";
        for (auto at = output.find(marker); at != std::string::npos;) {
            const auto next = output.find(marker, at + marker.size());
            const int32_t id = std::atoi(output.c_str() + at + marker.size());
            out[id] = output.substr(at, next == std::string::npos ? std::string::npos : next - at);
            at = next;
        }
        return out;
    }

    std::string write_plan(const std::string& topic, const std::vector<int32_t>& replicas) {
        std::string list;
        for (int32_t r : replicas) list += (list.empty() ? "" : ",") + std::to_string(r);
        const auto path = plan_dir / "plan.json";
        std::ofstream(path) << R"({"version":1,"partitions":[{"topic":")" << topic << R"(","partition":0,"replicas":[)"
                            << list << "]}]}";
        return path.string();
    }

    etcd_process etcd;
    std::vector<std::unique_ptr<broker_process>> brokers;
    fs::path plan_dir;
};

TEST_F(cluster_reassignment_test, kafka_reassign_partitions_moves_a_replica_to_another_broker_and_nothing_is_lost) {
    ASSERT_EQ(create_topic(node(1).bootstrap(), "moving", 1, {{"min.insync.replicas", "2"}}, 2), "");
    std::optional<std::vector<partition_view>> layout;
    ASSERT_TRUE(wait_until([&] { layout = describe_topic(node(1).port(), "moving"); return layout && (*layout)[0].isr.size() == 2; }, 30s));
    const auto before = (*layout)[0].replicas;
    const int32_t kept = before[0], leaving = before[1];
    const int32_t arriving = 6 - kept - leaving;
    producer prod(running_bootstrap(brokers), {{"acks", "all"}});
    for (int i = 0; i < 300; ++i) prod.send("moving", {0, -1, std::nullopt, "r" + std::to_string(i), {}, 0});
    prod.flush();
    ASSERT_EQ(prod.acknowledged.size(), 300u);

    // The arriving broker becomes the preferred replica, the leaving one goes.
    const auto plan = write_plan("moving", {arriving, kept});
    auto executed = run_kafka_tool("kafka-reassign-partitions.sh",
                                   {"--bootstrap-server", node(1).bootstrap(), "--reassignment-json-file", plan, "--execute"});
    ASSERT_EQ(executed.exit, 0) << executed.output;
    EXPECT_NE(executed.output.find("Successfully started partition reassignment"), std::string::npos) << executed.output;
    tool_run verified;
    ASSERT_TRUE(wait_until(
        [&] {
            // --preserve-throttles: clearing throttles alters broker configs,
            // which Strata does not take yet (issue 18).
            verified = run_kafka_tool("kafka-reassign-partitions.sh",
                                      {"--bootstrap-server", node(2).bootstrap(), "--reassignment-json-file", plan,
                                       "--verify", "--preserve-throttles"});
            return verified.exit == 0 &&
                   verified.output.find("Reassignment of partition moving-0 is completed") != std::string::npos;
        },
        90s))
        << verified.output;
    EXPECT_TRUE(ongoing("moving", 1).empty());
    ASSERT_TRUE(wait_until(
        [&] {
            for (auto& b : brokers) {
                auto v = describe_topic(b->port(), "moving");
                if (!v || (*v)[0].replicas != std::vector<int32_t>{arriving, kept} || (*v)[0].isr.size() != 2) return false;
            }
            return true;
        },
        30s));
    EXPECT_TRUE(wait_until([&] { return !has_log_dir(leaving, "moving", 0); }, 30s)) << "the old replica's log is deleted";
    EXPECT_TRUE(has_log_dir(arriving, "moving", 0));

    // kafka-log-dirs asks every broker of the cluster for its own log
    // directories: the partition is on the brokers it moved to, not on the one it left.
    auto dirs = run_kafka_tool("kafka-log-dirs.sh",
                               {"--bootstrap-server", node(1).bootstrap(), "--describe", "--topic-list", "moving"});
    ASSERT_EQ(dirs.exit, 0) << dirs.output;
    const auto held = partitions_by_broker(dirs.output);
    ASSERT_EQ(held.size(), 3u) << "every broker answers: " << dirs.output;
    for (int32_t id : {arriving, kept}) {
        EXPECT_NE(held.at(id).find("\"partition\":\"moving-0\""), std::string::npos) << "broker " << id << ": " << dirs.output;
        EXPECT_EQ(held.at(id).find("\"size\":0,"), std::string::npos) << "broker " << id << " holds 300 records: " << dirs.output;
    }
    EXPECT_EQ(held.at(leaving).find("moving-0"), std::string::npos) << dirs.output;

    // Leadership to the new preferred replica with Kafka's tool; every record is still there.
    auto elected = run_kafka_tool("kafka-leader-election.sh", {"--bootstrap-server", node(1).bootstrap(),
                                                               "--election-type", "PREFERRED", "--all-topic-partitions"});
    EXPECT_EQ(elected.exit, 0) << elected.output;
    EXPECT_TRUE(wait_until([&] { auto v = describe_topic(node(kept).port(), "moving"); return v && (*v)[0].leader == arriving; }, 30s));
    auto got = consume_all(running_bootstrap(brokers), "moving", 1, 300);
    ASSERT_EQ(got.size(), 300u);
    for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(*got[i].value, "r" + std::to_string(i));
}

TEST_F(cluster_reassignment_test, a_reassignment_waiting_for_a_stopped_broker_can_be_cancelled) {
    ASSERT_EQ(create_topic(node(1).bootstrap(), "stuck", 1, {}, 2), "");
    std::optional<std::vector<partition_view>> layout;
    ASSERT_TRUE(wait_until([&] { layout = describe_topic(node(1).port(), "stuck"); return layout && (*layout)[0].isr.size() == 2; }, 30s));
    const auto before = (*layout)[0].replicas;
    const int32_t arriving = 6 - before[0] - before[1];
    const int32_t asked = before[0];
    // A target naming a broker that is not registered is refused.
    raw_client c(node(asked).port());
    auto alter = [&](std::optional<std::vector<int32_t>> replicas) {
        msg::alter_partition_reassignments_request req;
        auto& t = req.topics.emplace_back();
        t.name = "stuck";
        t.partitions.push_back({0, std::move(replicas)});
        c.send(req, 0);
        auto resp = c.receive<msg::alter_partition_reassignments_response>(0);
        return resp && resp->responses.size() == 1 ? resp->responses[0].partitions.at(0).error_code : int16_t(-100);
    };
    EXPECT_EQ(alter(std::vector<int32_t>{before[0], 42}), 39) << "INVALID_REPLICA_ASSIGNMENT";
    EXPECT_EQ(alter(std::nullopt), 85) << "NO_REASSIGNMENT_IN_PROGRESS";

    // The arriving broker is stopped: the move cannot complete, and is listed.
    ASSERT_EQ(node(arriving).stop(), 0);
    ASSERT_TRUE(wait_until([&] { return describe_topic(node(asked).port(), "stuck").has_value(); }, 10s));
    EXPECT_EQ(alter(std::vector<int32_t>{before[0], arriving}), 39) << "a broker that is not live";
    node(arriving).start();
    ASSERT_TRUE(wait_until([&] { auto v = describe_topic(node(arriving).port(), "stuck"); return v.has_value(); }, 30s));
    // Pause it so that it cannot catch up, then ask for the move.
    pause_process(node(arriving).pid());
    EXPECT_EQ(alter(std::vector<int32_t>{before[0], arriving}), 0);
    EXPECT_EQ(ongoing("stuck", asked), (std::map<int32_t, std::vector<int32_t>>{{0, {arriving}}}));
    EXPECT_EQ(alter(std::nullopt), 0) << "cancelled";
    EXPECT_TRUE(ongoing("stuck", asked).empty());
    resume_process(node(arriving).pid());
    ASSERT_TRUE(wait_until([&] { auto v = describe_topic(node(asked).port(), "stuck"); return v && (*v)[0].replicas == before; }, 30s));
}

// A fetch at offset 0 of `topic` partition 0 from the broker on `port`: its error code.
int16_t fetch_error_at_zero(uint16_t port, const std::string& topic) {
    raw_client c(port);
    msg::fetch_request f;
    f.max_wait_ms = 0;
    f.min_bytes = 1;
    f.max_bytes = 1 << 20;
    auto& ft = f.topics.emplace_back();
    ft.topic = topic;
    auto& fp = ft.partitions.emplace_back();
    fp.fetch_offset = 0;
    fp.partition_max_bytes = 1 << 20;
    c.send(f, 12);
    auto resp = c.receive<msg::fetch_response>(12);
    if (!resp || resp->responses.empty() || resp->responses[0].partitions.empty()) return -100;
    return resp->responses[0].partitions[0].error_code;
}

TEST_F(cluster_reassignment_test, a_replica_placed_after_retention_starts_where_the_leaders_log_starts) {
    // Small segments and a small retention: the leader's log soon starts past 0.
    ASSERT_EQ(create_topic(node(1).bootstrap(), "trimmed", 1, {{"segment.bytes", "1024"}, {"retention.bytes", "2048"}}, 2),
              "");
    std::optional<std::vector<partition_view>> layout;
    ASSERT_TRUE(wait_until([&] { layout = describe_topic(node(1).port(), "trimmed"); return layout && (*layout)[0].isr.size() == 2; }, 30s));
    const auto before = (*layout)[0].replicas;
    const int32_t leader = (*layout)[0].leader;
    const int32_t arriving = 6 - before[0] - before[1];
    producer prod(running_bootstrap(brokers), {{"acks", "all"}, {"batch.size", "200"}, {"linger.ms", "0"}});
    for (int i = 0; i < 300; ++i) prod.send("trimmed", {0, -1, std::nullopt, std::string(60, 'x') + std::to_string(i), {}, 0});
    prod.flush();
    ASSERT_EQ(prod.acknowledged.size(), 300u);
    ASSERT_TRUE(wait_until([&] { return fetch_error_at_zero(node(leader).port(), "trimmed") == 1; }, 30s))
        << "OFFSET_OUT_OF_RANGE: retention moved the leader's log start";

    // A third replica: it starts where the leader's log starts, catches up and completes the move.
    const auto plan = write_plan("trimmed", {before[0], before[1], arriving});
    auto executed = run_kafka_tool("kafka-reassign-partitions.sh",
                                   {"--bootstrap-server", node(1).bootstrap(), "--reassignment-json-file", plan, "--execute"});
    ASSERT_EQ(executed.exit, 0) << executed.output;
    ASSERT_TRUE(wait_until(
        [&] {
            auto v = describe_topic(node(arriving).port(), "trimmed");
            return v && (*v)[0].replicas.size() == 3 && (*v)[0].isr.size() == 3 && ongoing("trimmed", 1).empty();
        },
        60s));
    // Read from the new replica itself (KIP-392): the newest records are there, at their offsets.
    raw_client c(node(arriving).port());
    partition_contents replica;
    ASSERT_TRUE(wait_until([&] { replica = read_partition(c, "trimmed", prod.acknowledged.back().offset); return replica.valid && !replica.records.empty(); }, 30s));
    EXPECT_EQ(replica.records.back().offset, prod.acknowledged.back().offset);
    EXPECT_EQ(std::string(replica.records.back().value.begin(), replica.records.back().value.end()),
              *prod.acknowledged.back().value);
}

} // namespace
} // namespace strata::test
