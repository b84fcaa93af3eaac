// Long-polling fetches are woken by appends, and /metrics reports what
// clients did, with the real broker.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "broker_process.h"
#include "http_client.h"
#include "raw_client.h"
#include "rdkafka_client.h"
#include "strata/kafka/protocol/messages/consumer_group_heartbeat.h"
#include "strata/kafka/protocol/messages/create_topics.h"
#include "strata/kafka/protocol/messages/fetch.h"
#include "strata/kafka/protocol/messages/join_group.h"
#include "strata/kafka/protocol/messages/leave_group.h"
#include "strata/kafka/protocol/messages/offset_commit.h"
#include "strata/kafka/protocol/messages/produce.h"
#include "strata/kafka/protocol/messages/sync_group.h"
#include "strata/storage/batch_builder.h"

namespace strata::test {
namespace {

using namespace strata::kafka;

// Waits (up to 10 s) until the sample of `series` is `want`; returns the last text read.
std::string wait_for_sample(uint16_t metrics_port, const std::string& series, double want) {
    std::string text = http_get(metrics_port, "/metrics");
    for (int i = 0; i < 100 && metric_sample(text, series) != want; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        text = http_get(metrics_port, "/metrics");
    }
    return text;
}

std::vector<uint8_t> one_batch(int records) {
    storage::batch_builder b;
    static const std::string value = "woken";
    for (int i = 0; i < records; ++i) b.add({std::nullopt, storage::bytes_of(value), 1700000000000 + i, {}});
    return *b.build();
}

TEST(long_poll, an_append_wakes_a_waiting_fetch) {
    broker_process broker;
    raw_client consumer(broker.port()), producer(broker.port());
    msg::create_topics_request create;
    create.topics.push_back({"wake", 1, 1, {}, {}});
    producer.send(create, 7);
    ASSERT_TRUE(producer.receive<msg::create_topics_response>(7));

    // A fetch at the (empty) log end that may wait up to a minute for one byte.
    msg::fetch_request fetch;
    fetch.max_wait_ms = 60000;
    fetch.min_bytes = 1;
    fetch.session_epoch = -1;
    auto& t = fetch.topics.emplace_back();
    t.topic = "wake";
    t.partitions.push_back({});
    t.partitions[0].partition = 0;
    t.partitions[0].fetch_offset = 0;
    t.partitions[0].partition_max_bytes = 1 << 20;
    consumer.send(fetch, 12);

    auto batch = one_batch(3);
    msg::produce_request produce;
    produce.acks = 1;
    produce.timeout_ms = 5000;
    auto& td = produce.topic_data.emplace_back();
    td.name = "wake";
    td.partition_data.push_back({0, records::view(batch)});
    producer.send(produce, 11);
    ASSERT_TRUE(producer.receive<msg::produce_response>(11));

    // Woken by the append, the fetch answers with the new batch instead of
    // waiting out its minute (the raw client gives up after 10 s).
    auto resp = consumer.receive<msg::fetch_response>(12);
    ASSERT_TRUE(resp);
    ASSERT_EQ(resp->responses.size(), 1u);
    EXPECT_EQ(resp->responses[0].partitions[0].high_watermark, 3);
    EXPECT_EQ(resp->responses[0].partitions[0].records.size(), batch.size());
}

TEST(metrics, counts_what_clients_produced_and_consumed) {
    broker_process broker;
    ASSERT_EQ(create_topic(broker.bootstrap(), "measured", 1), "");
    const int n = 1234;
    {
        producer p(broker.bootstrap(), {{"compression.codec", "lz4"}, {"linger.ms", "5"}});
        for (int i = 0; i < n; ++i) {
            record r;
            r.value = "m" + std::to_string(i);
            r.timestamp = 1700000000000 + i;
            p.send("measured", r);
        }
        p.flush();
        ASSERT_EQ(p.acknowledged.size(), size_t(n));
    }
    ASSERT_EQ(consume_all(broker.bootstrap(), "measured", 1, n).size(), size_t(n));

    std::string text;
    // Partition gauges are refreshed every second by the broker's housekeeping.
    for (int i = 0; i < 50; ++i) {
        text = http_get(broker.metrics_port(), "/metrics");
        if (metric_sample(text, R"(strata_partition_log_end_offset{partition="0",topic="measured"})") == n) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(metric_sample(text, R"(strata_topic_messages_in_total{topic="measured"})"), n);
    EXPECT_EQ(metric_sample(text, R"(strata_topic_messages_out_total{topic="measured"})"), n);
    EXPECT_GT(metric_sample(text, R"(strata_topic_bytes_in_total{topic="measured"})"), n);
    EXPECT_GT(metric_sample(text, R"(strata_topic_bytes_out_total{topic="measured"})"), n);
    EXPECT_EQ(metric_sample(text, R"(strata_partition_log_end_offset{partition="0",topic="measured"})"), n);
    EXPECT_GT(metric_sample(text, R"(strata_partition_log_size_bytes{partition="0",topic="measured"})"), 0);
    EXPECT_GT(metric_sample(text, R"(strata_kafka_requests_total{api="Produce"})"), 0);
    EXPECT_GT(metric_sample(text, R"(strata_kafka_request_latency_seconds_count{api="Fetch"})"), 0);
    EXPECT_NE(text.find("strata_storage_fsync_seconds_count"), std::string::npos);
    EXPECT_NE(text.find("strata_kafka_active_connections"), std::string::npos);
    EXPECT_NE(text.find("Content-Type: text/plain; version=0.0.4"), std::string::npos);
    EXPECT_NE(http_get(broker.metrics_port(), "/nope").find("HTTP/1.0 404"), std::string::npos);
}

TEST(metrics, consumer_lag_follows_commits_and_appends) {
    broker_process broker;
    ASSERT_EQ(create_topic(broker.bootstrap(), "lagging", 1), "");
    {
        producer p(broker.bootstrap(), {{"linger.ms", "5"}});
        for (int i = 0; i < 100; ++i) {
            record r;
            r.value = "x";
            p.send("lagging", r);
        }
        p.flush();
        ASSERT_EQ(p.acknowledged.size(), 100u);
    }
    raw_client c(broker.port());
    msg::offset_commit_request commit;
    commit.group_id = "slow-readers";
    auto& t = commit.topics.emplace_back();
    t.name = "lagging";
    t.partitions.push_back({0, 40, -1, std::string("")});
    c.send(commit, 9);
    auto resp = c.receive<msg::offset_commit_response>(9);
    ASSERT_TRUE(resp);
    ASSERT_EQ(resp->topics[0].partitions[0].error_code, 0);

    const std::string lag = R"(strata_group_lag{group="slow-readers",partition="0",topic="lagging"})";
    std::string text = wait_for_sample(broker.metrics_port(), lag, 60);
    EXPECT_EQ(metric_sample(text, lag), 60);
    EXPECT_EQ(metric_sample(text, R"(strata_group_offset_commits_total{group="slow-readers"})"), 1);
}

// A classic member of `group`: JoinGroup v3 (no member-id round trip),
// which completes at once for the group's first member.
msg::join_group_response join_classic(raw_client& c, const std::string& group) {
    msg::join_group_request join;
    join.group_id = group;
    join.session_timeout_ms = 30000;
    join.rebalance_timeout_ms = 30000;
    join.protocol_type = "consumer";
    join.protocols.emplace_back().name = "range";
    c.send(join, 3);
    auto joined = c.receive<msg::join_group_response>(3);
    EXPECT_TRUE(joined);
    return joined.value_or(msg::join_group_response{});
}

// A consumer-protocol member joining (epoch 0) or leaving (-1) `group`; the error code.
int16_t consumer_heartbeat(raw_client& c, const std::string& group, const std::string& member, int32_t epoch) {
    msg::consumer_group_heartbeat_request hb;
    hb.group_id = group;
    hb.member_id = member;
    hb.member_epoch = epoch;
    if (epoch == 0) {
        hb.rebalance_timeout_ms = 30000;
        hb.subscribed_topic_names = std::vector<std::string>{"anything"};
        hb.topic_partitions.emplace();
    }
    c.send(hb, 1);
    auto r = c.receive<msg::consumer_group_heartbeat_response>(1);
    return r ? r->error_code : int16_t(-100);
}

TEST(metrics, rebalances_are_counted_per_group) {
    broker_process broker({"group.initial.rebalance.delay.ms=0"});
    raw_client c(broker.port());
    // A classic group's first generation.
    ASSERT_EQ(join_classic(c, "classic-g").error_code, 0);
    // A consumer-protocol group: a member joins, then leaves (two group epochs).
    ASSERT_EQ(consumer_heartbeat(c, "kip848-g", "member-1", 0), 0);
    ASSERT_EQ(consumer_heartbeat(c, "kip848-g", "member-1", -1), 0);

    std::string text = http_get(broker.metrics_port(), "/metrics");
    EXPECT_EQ(metric_sample(text, R"(strata_group_rebalances_total{group="classic-g"})"), 1) << text;
    EXPECT_EQ(metric_sample(text, R"(strata_group_rebalances_total{group="kip848-g"})"), 2) << text;
    // Groups by state (refreshed by the broker's housekeeping): the classic
    // group waits for its leader's SyncGroup; the other one is empty.
    // Both gauges come from the same tick, which may have run between the
    // requests above: wait for one taken after them.
    const std::string completing = R"(strata_classic_groups{state="CompletingRebalance"})";
    const std::string empty = R"(strata_consumer_groups{state="Empty"})";
    // The consumer-protocol group emptied last: a tick that shows it saw both.
    text = wait_for_sample(broker.metrics_port(), empty, 1);
    EXPECT_EQ(metric_sample(text, completing), 1) << text;
    EXPECT_EQ(metric_sample(text, R"(strata_classic_groups{state="Stable"})"), 0) << text;
    EXPECT_EQ(metric_sample(text, empty), 1) << text;
}

TEST(metrics, members_are_counted_for_groups_of_both_protocols) {
    broker_process broker({"group.initial.rebalance.delay.ms=0"});
    raw_client c(broker.port());
    // A classic group with one member, synced and Stable.
    auto joined = join_classic(c, "classic-g");
    ASSERT_EQ(joined.error_code, 0);
    msg::sync_group_request sync;
    sync.group_id = "classic-g";
    sync.generation_id = joined.generation_id;
    sync.member_id = joined.member_id;
    c.send(sync, 3);
    auto synced = c.receive<msg::sync_group_response>(3);
    ASSERT_TRUE(synced);
    ASSERT_EQ(synced->error_code, 0);
    // A consumer-protocol group with two members.
    ASSERT_EQ(consumer_heartbeat(c, "kip848-g", "member-1", 0), 0);
    ASSERT_EQ(consumer_heartbeat(c, "kip848-g", "member-2", 0), 0);

    const std::string classic = R"(strata_group_members{group="classic-g",type="classic"})";
    const std::string consumer = R"(strata_group_members{group="kip848-g",type="consumer"})";
    // The consumer-protocol group was made last: once its members show, so does the classic one.
    std::string text = wait_for_sample(broker.metrics_port(), consumer, 2);
    EXPECT_EQ(metric_sample(text, classic), 1) << text;
    EXPECT_EQ(metric_sample(text, consumer), 2) << text;

    // The classic member leaves: its group stays, Empty, with no members.
    msg::leave_group_request leave;
    leave.group_id = "classic-g";
    leave.members.emplace_back().member_id = joined.member_id;
    c.send(leave, 3);
    auto left = c.receive<msg::leave_group_response>(3);
    ASSERT_TRUE(left);
    ASSERT_EQ(left->error_code, 0);
    text = wait_for_sample(broker.metrics_port(), classic, 0);
    EXPECT_EQ(metric_sample(text, classic), 0) << text;
    EXPECT_EQ(metric_sample(text, consumer), 2) << text;
}

} // namespace
} // namespace strata::test
