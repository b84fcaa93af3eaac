// The classic group protocol with librdkafka: two consumers of one group
// share a topic's partitions through JoinGroup/SyncGroup/Heartbeat, commit
// as they go and together read every record exactly once; ListGroups and
// DescribeGroups show the group; closing leaves it empty.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "broker_process.h"
#include "rdkafka_client.h"

namespace strata::test {
namespace {

constexpr int partitions = 6;
constexpr int records_per_partition = 100;

// One group member polling on its own thread: what it read and what it owns.
class group_member {
public:
    group_member(const std::string& bootstrap, const std::string& group) {
        char err[512];
        auto* conf = rd_kafka_conf_new();
        auto set = [&](const char* k, const char* v) {
            ASSERT_EQ(rd_kafka_conf_set(conf, k, v, err, sizeof(err)), RD_KAFKA_CONF_OK) << err;
        };
        set("bootstrap.servers", bootstrap.c_str());
        set("group.id", group.c_str());
        set("auto.offset.reset", "earliest");
        set("enable.auto.commit", "false");
        set("session.timeout.ms", "10000");
        set("heartbeat.interval.ms", "500");
        set("topic.metadata.refresh.interval.ms", "1000");
        rk_ = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof(err));
        EXPECT_NE(rk_, nullptr) << err;
        rd_kafka_poll_set_consumer(rk_);
    }
    ~group_member() {
        stop();
        if (rk_) rd_kafka_destroy(rk_);
    }

    void subscribe(const std::string& topic) {
        auto* list = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(list, topic.c_str(), RD_KAFKA_PARTITION_UA);
        ASSERT_EQ(rd_kafka_subscribe(rk_, list), RD_KAFKA_RESP_ERR_NO_ERROR);
        rd_kafka_topic_partition_list_destroy(list);
        thread_ = std::thread([this] { loop(); });
    }

    // Closing leaves the group (LeaveGroup).
    void stop() {
        running_ = false;
        if (thread_.joinable()) thread_.join();
        if (rk_ && !closed_) {
            rd_kafka_consumer_close(rk_);
            closed_ = true;
        }
    }

    size_t assigned() const { return assigned_count_; }
    std::vector<std::pair<int32_t, int64_t>> consumed() {
        std::lock_guard lock(mu_);
        return consumed_;
    }

private:
    void loop() {
        while (running_) {
            auto* msg = rd_kafka_consumer_poll(rk_, 100);
            rd_kafka_topic_partition_list_t* assignment = nullptr;
            if (rd_kafka_assignment(rk_, &assignment) == RD_KAFKA_RESP_ERR_NO_ERROR) {
                assigned_count_ = size_t(assignment->cnt);
                rd_kafka_topic_partition_list_destroy(assignment);
            }
            if (!msg) continue;
            if (!msg->err) {
                {
                    std::lock_guard lock(mu_);
                    consumed_.emplace_back(msg->partition, msg->offset);
                }
                // Commit before polling again: a partition handed to the other
                // member in a rebalance continues after this record.
                EXPECT_EQ(rd_kafka_commit_message(rk_, msg, 0), RD_KAFKA_RESP_ERR_NO_ERROR);
            }
            rd_kafka_message_destroy(msg);
        }
    }

    rd_kafka_t* rk_ = nullptr;
    std::thread thread_;
    std::atomic<bool> running_{true};
    std::atomic<size_t> assigned_count_{0};
    bool closed_ = false;
    std::mutex mu_;
    std::vector<std::pair<int32_t, int64_t>> consumed_;
};

// The group as rd_kafka_list_groups reports it (ListGroups + DescribeGroups).
struct listed {
    std::string state;
    std::string protocol_type;
    std::string protocol;
    int members = -1;
};

std::optional<listed> list_group(const std::string& bootstrap, const std::string& group) {
    char err[512];
    auto* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), err, sizeof(err));
    auto* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
    const rd_kafka_group_list* list = nullptr;
    std::optional<listed> out;
    if (rd_kafka_list_groups(rk, group.c_str(), &list, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        for (int i = 0; i < list->group_cnt; ++i) {
            const auto& g = list->groups[i];
            if (g.group != group || g.err) continue;
            out = listed{g.state, g.protocol_type, g.protocol, g.member_cnt};
        }
        rd_kafka_group_list_destroy(list);
    }
    rd_kafka_destroy(rk);
    return out;
}

TEST(group_consumer, two_members_share_partitions_and_read_every_record_once) {
    broker_process broker({"group.initial.rebalance.delay.ms=0"});
    const auto bootstrap = broker.bootstrap();
    ASSERT_EQ(create_topic(bootstrap, "shared", partitions), "");

    group_member a(bootstrap, "readers"), b(bootstrap, "readers");
    a.subscribe("shared");
    b.subscribe("shared");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while ((a.assigned() != 3 || b.assigned() != 3) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ASSERT_EQ(a.assigned(), 3u);
    ASSERT_EQ(b.assigned(), 3u);

    auto group = list_group(bootstrap, "readers");
    ASSERT_TRUE(group);
    EXPECT_EQ(group->state, "Stable");
    EXPECT_EQ(group->protocol_type, "consumer");
    EXPECT_EQ(group->members, 2);
    EXPECT_FALSE(group->protocol.empty());

    {
        producer p(bootstrap);
        for (int part = 0; part < partitions; ++part)
            for (int i = 0; i < records_per_partition; ++i)
                p.send("shared", record{part, -1, std::nullopt, "v" + std::to_string(i), {}, 0});
        p.flush();
        ASSERT_TRUE(p.failures.empty());
    }
    const size_t total = size_t(partitions) * records_per_partition;
    while (a.consumed().size() + b.consumed().size() < total && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // nothing more arrives
    auto from_a = a.consumed(), from_b = b.consumed();
    EXPECT_FALSE(from_a.empty());
    EXPECT_FALSE(from_b.empty());
    std::set<std::pair<int32_t, int64_t>> seen;
    for (const auto& r : from_a) EXPECT_TRUE(seen.insert(r).second) << "duplicate " << r.first << "@" << r.second;
    for (const auto& r : from_b) EXPECT_TRUE(seen.insert(r).second) << "duplicate " << r.first << "@" << r.second;
    EXPECT_EQ(seen.size(), total);

    // When one member leaves, the other takes over every partition.
    b.stop();
    const auto again = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (a.assigned() != size_t(partitions) && std::chrono::steady_clock::now() < again)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(a.assigned(), size_t(partitions));
    a.stop();
    group = list_group(bootstrap, "readers");
    ASSERT_TRUE(group);
    EXPECT_EQ(group->state, "Empty");
    EXPECT_EQ(group->members, 0);
}

} // namespace
} // namespace strata::test
