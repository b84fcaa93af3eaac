// Committed offsets over the wire: FindCoordinator, OffsetCommit and
// OffsetFetch with Kafka's error codes, surviving restarts and kill -9.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <tuple>

#include "broker_process.h"
#include "raw_client.h"
#include "rdkafka_client.h"
#include "strata/kafka/protocol/errors.h"
#include "strata/kafka/protocol/messages/find_coordinator.h"
#include "strata/kafka/protocol/messages/offset_commit.h"
#include "strata/kafka/protocol/messages/offset_fetch.h"

namespace strata::test {
namespace {

using namespace strata::kafka;

class offsets : public ::testing::Test {
protected:
    void SetUp() override {
        broker = std::make_unique<broker_process>(std::vector<std::string>{"offsets.topic.num.partitions=5"});
        ASSERT_EQ(create_topic(broker->bootstrap(), "orders", 3), "");
    }

    msg::offset_commit_response commit(raw_client& c, const std::string& group, int32_t partition, int64_t offset,
                                       int32_t generation = -1, const std::string& topic = "orders",
                                       std::string metadata = "meta", int16_t version = 9,
                                       int32_t leader_epoch = 0) {
        msg::offset_commit_request req;
        req.group_id = group;
        req.generation_id_or_member_epoch = generation;
        auto& t = req.topics.emplace_back();
        t.name = topic;
        auto& p = t.partitions.emplace_back();
        p.partition_index = partition;
        p.committed_offset = offset;
        p.committed_leader_epoch = leader_epoch;
        p.committed_metadata = std::move(metadata);
        c.send(req, version);
        auto resp = c.receive<msg::offset_commit_response>(version);
        EXPECT_TRUE(resp);
        return resp ? *resp : msg::offset_commit_response{};
    }

    // The committed offset of one partition (OffsetFetch v9, batched groups).
    int64_t fetch(raw_client& c, const std::string& group, int32_t partition, std::string* metadata = nullptr,
                  int32_t* leader_epoch = nullptr) {
        msg::offset_fetch_request req;
        auto& g = req.groups.emplace_back();
        g.group_id = group;
        g.topics.emplace();
        g.topics->push_back({"orders", {partition}});
        c.send(req, 9);
        auto resp = c.receive<msg::offset_fetch_response>(9);
        if (!resp || resp->groups.empty() || resp->groups[0].topics.empty()) return -100;
        auto& p = resp->groups[0].topics[0].partitions.at(0);
        if (metadata && p.metadata) *metadata = *p.metadata;
        if (leader_epoch) *leader_epoch = p.committed_leader_epoch;
        return p.error_code ? -200 - p.error_code : p.committed_offset;
    }

    // "partition:offset@leader_epoch" of every partition in an OffsetFetch group answer.
    static std::string listed(const msg::offset_fetch_response::offset_fetch_response_group& g) {
        std::string out;
        for (const auto& t : g.topics)
            for (const auto& p : t.partitions)
                out += (out.empty() ? "" : " ") + t.name + "-" + std::to_string(p.partition_index) + ":" +
                       std::to_string(p.committed_offset) + "@" + std::to_string(p.committed_leader_epoch) +
                       (p.error_code ? "!" + std::to_string(p.error_code) : "");
        return out;
    }

    // OffsetFetch v7 (one group per request) of everything `group` committed.
    msg::offset_fetch_response fetch_all_v7(raw_client& c, const std::string& group) {
        msg::offset_fetch_request req;
        req.group_id = group;
        req.topics = std::nullopt;  // every committed partition
        c.send(req, 7);
        auto resp = c.receive<msg::offset_fetch_response>(7);
        EXPECT_TRUE(resp);
        return resp.value_or(msg::offset_fetch_response{});
    }

    std::unique_ptr<broker_process> broker;
};

TEST_F(offsets, find_coordinator_names_this_broker_for_every_group) {
    raw_client c(broker->port());
    msg::find_coordinator_request req;
    req.key_type = 0;
    req.coordinator_keys = {"g1", "g2"};
    c.send(req, 6);
    auto resp = c.receive<msg::find_coordinator_response>(6);
    ASSERT_TRUE(resp);
    ASSERT_EQ(resp->coordinators.size(), 2u);
    for (auto& co : resp->coordinators) {
        EXPECT_EQ(co.error_code, 0);
        EXPECT_EQ(co.port, broker->port());
        EXPECT_EQ(co.host, "127.0.0.1");
    }
    // v0-3 carry one key.
    msg::find_coordinator_request old;
    old.key = "g1";
    c.send(old, 3);
    auto one = c.receive<msg::find_coordinator_response>(3);
    ASSERT_TRUE(one);
    EXPECT_EQ(one->error_code, 0);
    EXPECT_EQ(one->port, broker->port());
}

TEST_F(offsets, commits_are_fetched_back_and_survive_restart_and_kill9) {
    raw_client c(broker->port());
    ASSERT_EQ(commit(c, "app", 0, 42).topics[0].partitions[0].error_code, 0);
    ASSERT_EQ(commit(c, "app", 1, 7).topics[0].partitions[0].error_code, 0);
    ASSERT_EQ(commit(c, "app", 0, 43, -1, "orders", "latest").topics[0].partitions[0].error_code, 0);
    ASSERT_EQ(commit(c, "other", 0, 1000).topics[0].partitions[0].error_code, 0);
    std::string metadata;
    EXPECT_EQ(fetch(c, "app", 0, &metadata), 43);
    EXPECT_EQ(metadata, "latest");
    EXPECT_EQ(fetch(c, "app", 1), 7);
    EXPECT_EQ(fetch(c, "app", 2), -1);  // never committed: -1, no error
    EXPECT_EQ(fetch(c, "nobody", 0), -1);

    ASSERT_EQ(broker->stop(), 0);
    broker->start();
    raw_client after_restart(broker->port());
    EXPECT_EQ(fetch(after_restart, "app", 0), 43);
    EXPECT_EQ(fetch(after_restart, "other", 0), 1000);
    ASSERT_EQ(commit(after_restart, "app", 1, 8).topics[0].partitions[0].error_code, 0);

    broker->kill9();
    broker->start();
    raw_client after_crash(broker->port());
    EXPECT_EQ(fetch(after_crash, "app", 0), 43);
    EXPECT_EQ(fetch(after_crash, "app", 1), 8);
}

TEST_F(offsets, commit_errors_are_kafkas) {
    raw_client c(broker->port());
    // A generation for a group that does not exist: GROUP_ID_NOT_FOUND from v9
    // (for both group protocols), ILLEGAL_GENERATION before, as in Kafka 4.
    EXPECT_EQ(commit(c, "app", 0, 5, 3).topics[0].partitions[0].error_code, code(error_code::group_id_not_found));
    EXPECT_EQ(commit(c, "app", 0, 5, 3, "orders", "meta", 8).topics[0].partitions[0].error_code,
              code(error_code::illegal_generation));
    EXPECT_EQ(commit(c, "app", 0, 5, -1, "no-such-topic").topics[0].partitions[0].error_code,
              code(error_code::unknown_topic_or_partition));
    EXPECT_EQ(commit(c, "app", 9, 5).topics[0].partitions[0].error_code,
              code(error_code::unknown_topic_or_partition));
    EXPECT_EQ(commit(c, "app", 0, 5, -1, "orders", std::string(5000, 'm')).topics[0].partitions[0].error_code,
              code(error_code::offset_metadata_too_large));
    EXPECT_EQ(commit(c, "", 0, 5).topics[0].partitions[0].error_code, code(error_code::invalid_group_id));
    // None of those was stored.
    EXPECT_EQ(fetch(c, "app", 0), -1);
    // A simple commit (generation -1) makes a group of offsets, which knows no member.
    EXPECT_EQ(commit(c, "app", 0, 5).topics[0].partitions[0].error_code, 0);
    EXPECT_EQ(commit(c, "app", 0, 6, 3).topics[0].partitions[0].error_code, code(error_code::unknown_member_id));
    EXPECT_EQ(fetch(c, "app", 0), 5);
}

TEST_F(offsets, a_pipelined_fetch_sees_the_commit_sent_before_it) {
    raw_client c(broker->port());
    // Commit and fetch back to back, without waiting for the commit's answer.
    msg::offset_commit_request commit;
    commit.group_id = "pipelined";
    auto& t = commit.topics.emplace_back();
    t.name = "orders";
    t.partitions.push_back({1, 777, -1, std::string("m")});
    c.send(commit, 9);
    msg::offset_fetch_request fetch;
    auto& g = fetch.groups.emplace_back();
    g.group_id = "pipelined";
    g.topics.emplace();
    g.topics->push_back({"orders", {1}});
    c.send(fetch, 9);
    auto committed = c.receive<msg::offset_commit_response>(9);
    ASSERT_TRUE(committed);
    EXPECT_EQ(committed->topics[0].partitions[0].error_code, 0);
    auto fetched = c.receive<msg::offset_fetch_response>(9);
    ASSERT_TRUE(fetched);
    EXPECT_EQ(fetched->groups.at(0).topics.at(0).partitions.at(0).committed_offset, 777);
}

TEST_F(offsets, offset_fetch_v7_and_null_topics_list_everything) {
    raw_client c(broker->port());
    ASSERT_EQ(commit(c, "all", 0, 1).topics[0].partitions[0].error_code, 0);
    ASSERT_EQ(commit(c, "all", 2, 3).topics[0].partitions[0].error_code, 0);
    auto resp = fetch_all_v7(c, "all");
    ASSERT_EQ(resp.topics.size(), 1u);
    ASSERT_EQ(resp.topics[0].partitions.size(), 2u);
    EXPECT_EQ(resp.topics[0].partitions[0].committed_offset, 1);
    EXPECT_EQ(resp.topics[0].partitions[1].partition_index, 2);
    EXPECT_EQ(resp.topics[0].partitions[1].committed_offset, 3);
}

TEST_F(offsets, expired_offsets_are_tombstoned_and_stay_gone_after_a_restart) {
    broker = std::make_unique<broker_process>(std::vector<std::string>{"offsets.retention.check.interval.ms=100"});
    ASSERT_EQ(create_topic(broker->bootstrap(), "orders", 3), "");
    raw_client c(broker->port());
    // OffsetCommit v2-4 may give the offsets their own retention; v9 commits
    // keep offsets.retention.minutes (a week).
    msg::offset_commit_request req;
    req.group_id = "short-lived";
    req.generation_id_or_member_epoch = -1;
    req.retention_time_ms = 1000;
    auto& t = req.topics.emplace_back();
    t.name = "orders";
    t.partitions.emplace_back().committed_offset = 11;
    c.send(req, 4);
    auto resp = c.receive<msg::offset_commit_response>(4);
    ASSERT_TRUE(resp);
    ASSERT_EQ(resp->topics.at(0).partitions.at(0).error_code, 0);
    ASSERT_EQ(commit(c, "long-lived", 0, 22).topics[0].partitions[0].error_code, 0);
    EXPECT_EQ(fetch(c, "short-lived", 0), 11);

    int64_t left = 11;
    for (int i = 0; i < 300 && left != -1; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        left = fetch(c, "short-lived", 0);
    }
    EXPECT_EQ(left, -1);
    EXPECT_EQ(fetch(c, "long-lived", 0), 22);

    ASSERT_EQ(broker->stop(), 0);
    broker->start();
    raw_client after(broker->port());
    EXPECT_EQ(fetch(after, "short-lived", 0), -1);
    EXPECT_EQ(fetch(after, "long-lived", 0), 22);
}

// __consumer_offsets in small segments that roll every 100 ms, with a
// broker-wide retention that would delete every closed segment of a
// delete-policy topic within a retention check (100 ms), and a cleaner that
// looks for work every 100 ms.
std::vector<std::string> offsets_in_small_short_lived_segments() {
    return {"offsets.topic.num.partitions=1", "offsets.topic.segment.bytes=1024", "log.roll.ms=100",
            "log.retention.ms=1", "log.retention.check.interval.ms=100", "log.cleaner.backoff.ms=100",
            "log.cleaner.min.cleanable.ratio=0.01"};
}

// The (group, topic, partition) of each offset commit record in partition 0 of __consumer_offsets.
std::vector<std::tuple<std::string, std::string, int32_t>> commit_keys(const std::string& bootstrap) {
    std::vector<std::tuple<std::string, std::string, int32_t>> out;
    auto records = consume_to_end(bootstrap, "__consumer_offsets", 0);
    if (!records) return out;
    for (const auto& r : *records) {
        if (!r.key || r.key->size() < 2) continue;
        std::vector<uint8_t> key(r.key->begin(), r.key->end());
        kafka::reader k(key);
        if (int16_t version = k.read_int16(); version != 0 && version != 1) continue;
        auto group = k.read_string(false);
        auto topic = k.read_string(false);
        int32_t partition = k.read_int32();
        if (k.ok()) out.emplace_back(group, topic, partition);
    }
    return out;
}

TEST_F(offsets, commits_survive_segment_rolls_retention_and_restarts) {
    broker = std::make_unique<broker_process>(offsets_in_small_short_lived_segments());
    ASSERT_EQ(create_topic(broker->bootstrap(), "orders", 3), "");
    raw_client c(broker->port());
    for (int round = 1; round <= 30; ++round)
        for (int32_t p = 0; p < 3; ++p)
            ASSERT_EQ(commit(c, "app", p, round * 100 + p).topics[0].partitions[0].error_code, 0);
    // Another group keeps committing, so app's commits end up in closed, old
    // segments, while retention checks and cleaner passes come and go: until
    // the cleaner has compacted the partition twice (or, were the topic
    // treated as delete-policy, retention deleted everything up to app's commits).
    const int64_t after_app = high_watermark(broker->bootstrap(), "__consumer_offsets", 0);
    ASSERT_GE(after_app, 90);  // one record per commit
    int64_t ticks = 0;
    ASSERT_TRUE(wait_until(
        [&] {
            commit(c, "ticker", 0, ++ticks);
            return broker->log_lines_containing("cleaner: cleaned __consumer_offsets-0") >= 2 ||
                   offset_for_time(broker->bootstrap(), "__consumer_offsets", 0, -2) >= after_app;
        },
        std::chrono::seconds(120)))
        << "see " << broker->log_file();
    for (int32_t p = 0; p < 3; ++p) EXPECT_EQ(fetch(c, "app", p), 3000 + p);

    ASSERT_EQ(broker->stop(), 0);
    broker->start();
    raw_client after_restart(broker->port());
    for (int32_t p = 0; p < 3; ++p) EXPECT_EQ(fetch(after_restart, "app", p), 3000 + p);
    broker->kill9();
    broker->start();
    raw_client after_crash(broker->port());
    for (int32_t p = 0; p < 3; ++p) EXPECT_EQ(fetch(after_crash, "app", p), 3000 + p);
}

TEST_F(offsets, compaction_keeps_the_latest_commit_of_each_group_and_partition_across_a_restart) {
    broker = std::make_unique<broker_process>(offsets_in_small_short_lived_segments());
    ASSERT_EQ(create_topic(broker->bootstrap(), "orders", 3), "");
    raw_client c(broker->port());
    for (int round = 1; round <= 20; ++round) {
        for (int32_t p = 0; p < 3; ++p)
            ASSERT_EQ(commit(c, "app", p, round * 10 + p).topics[0].partitions[0].error_code, 0);
        ASSERT_EQ(commit(c, "other", 1, round).topics[0].partitions[0].error_code, 0);
    }
    using key = std::tuple<std::string, std::string, int32_t>;
    const std::vector<key> committed{{"app", "orders", 0}, {"app", "orders", 1}, {"app", "orders", 2},
                                     {"other", "orders", 1}};
    int64_t ticks = 0;
    // Compacted: one record left per group and partition (the ticker's own are not counted).
    ASSERT_TRUE(wait_until(
        [&] {
            commit(c, "ticker", 0, ++ticks);
            auto keys = commit_keys(broker->bootstrap());
            for (const auto& k : committed)
                if (std::count(keys.begin(), keys.end(), k) != 1) return false;
            return true;
        },
        std::chrono::seconds(120), std::chrono::milliseconds(500)))
        << "see " << broker->log_file();

    ASSERT_EQ(broker->stop(), 0);
    broker->start();
    raw_client after(broker->port());
    for (int32_t p = 0; p < 3; ++p) EXPECT_EQ(fetch(after, "app", p), 200 + p);
    EXPECT_EQ(fetch(after, "other", 1), 20);
}

TEST_F(offsets, offset_fetch_answers_several_groups_in_one_request) {
    raw_client c(broker->port());
    ASSERT_EQ(commit(c, "app", 0, 42).topics[0].partitions[0].error_code, 0);
    ASSERT_EQ(commit(c, "app", 2, 9).topics[0].partitions[0].error_code, 0);
    // v8+: one request for several groups, each with its own topic list or
    // null for everything it committed; a group that does not exist is no
    // error (Kafka 4 answers -1 for the partitions asked, nothing for null).
    for (bool app_lists_topics : {false, true}) {
        msg::offset_fetch_request req;
        req.groups.resize(2);
        auto& app = req.groups[0];
        app.group_id = "app";
        auto& ghost = req.groups[1];
        ghost.group_id = "ghost";
        auto& listing = app_lists_topics ? app : ghost;
        auto& everything = app_lists_topics ? ghost : app;
        listing.topics.emplace();
        listing.topics->push_back({"orders", {0, 1}});
        everything.topics = std::nullopt;
        c.send(req, 9);
        auto resp = c.receive<msg::offset_fetch_response>(9);
        ASSERT_TRUE(resp);
        EXPECT_EQ(resp->error_code, 0);
        ASSERT_EQ(resp->groups.size(), 2u);
        EXPECT_EQ(resp->groups[0].group_id, "app");
        EXPECT_EQ(resp->groups[1].group_id, "ghost");
        for (const auto& g : resp->groups) EXPECT_EQ(g.error_code, 0) << g.group_id;
        if (app_lists_topics) {
            EXPECT_EQ(listed(resp->groups[0]), "orders-0:42@0 orders-1:-1@-1");
            EXPECT_EQ(listed(resp->groups[1]), "");
        } else {
            EXPECT_EQ(listed(resp->groups[0]), "orders-0:42@0 orders-2:9@0");
            EXPECT_EQ(listed(resp->groups[1]), "orders-0:-1@-1 orders-1:-1@-1");
        }
    }
}

TEST_F(offsets, the_committed_leader_epoch_is_fetched_back_and_survives_a_restart) {
    raw_client c(broker->port());
    ASSERT_EQ(commit(c, "epochs", 0, 100, -1, "orders", "m", 9, 7).topics[0].partitions[0].error_code, 0);
    ASSERT_EQ(commit(c, "epochs", 1, 200, -1, "orders", "m", 9, -1).topics[0].partitions[0].error_code, 0);
    auto check = [&](raw_client& client) {
        int32_t epoch = -100;
        EXPECT_EQ(fetch(client, "epochs", 0, nullptr, &epoch), 100);
        EXPECT_EQ(epoch, 7);
        EXPECT_EQ(fetch(client, "epochs", 1, nullptr, &epoch), 200);
        EXPECT_EQ(epoch, -1);  // committed without one
        // OffsetFetch v7 (one group per request) carries it too.
        auto resp = fetch_all_v7(client, "epochs");
        ASSERT_EQ(resp.topics.size(), 1u);
        ASSERT_EQ(resp.topics[0].partitions.size(), 2u);
        EXPECT_EQ(resp.topics[0].partitions[0].committed_leader_epoch, 7);
        EXPECT_EQ(resp.topics[0].partitions[1].committed_leader_epoch, -1);
    };
    check(c);
    ASSERT_EQ(broker->stop(), 0);
    broker->start();
    raw_client after_restart(broker->port());
    check(after_restart);
}

} // namespace
} // namespace strata::test
