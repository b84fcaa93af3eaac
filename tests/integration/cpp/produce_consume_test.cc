// librdkafka against the real broker: every codec, keys, headers, null values,
// explicit timestamps, ordering per partition, offsets by timestamp, restart.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>

#include "broker_process.h"
#include "rdkafka_client.h"

namespace strata::test {
namespace {

constexpr int partitions = 3;
constexpr int64_t base_ts = 1700000000000;

// Record i of a run: some null keys and values, a header on every third.
record make_record(int i) {
    record r;
    r.partition = i % partitions;
    if (i % 7 != 0) r.key = "key-" + std::to_string(i);
    if (i % 10 != 0) r.value = "value-" + std::to_string(i) + std::string(size_t(i % 50), 'x');
    if (i % 3 == 0) r.headers = {{"h", "v" + std::to_string(i)}, {"empty", std::nullopt}};
    r.timestamp = base_ts + i;
    return r;
}

// Checks that `got` holds exactly `sent` (ignoring offsets), in order per partition.
void expect_same_per_partition(const std::vector<record>& sent, const std::vector<record>& got) {
    std::map<int32_t, std::vector<record>> want_by_p, got_by_p;
    for (auto r : sent) {
        r.offset = -1;
        want_by_p[r.partition].push_back(r);
    }
    for (auto r : got) {
        r.offset = -1;
        got_by_p[r.partition].push_back(r);
    }
    ASSERT_EQ(want_by_p.size(), got_by_p.size());
    for (auto& [p, want] : want_by_p) {
        ASSERT_EQ(got_by_p[p].size(), want.size()) << "partition " << p;
        for (size_t i = 0; i < want.size(); ++i) ASSERT_EQ(got_by_p[p][i], want[i]) << "partition " << p << " #" << i;
    }
}

class codec_round_trip : public ::testing::TestWithParam<std::string> {};

TEST_P(codec_round_trip, hundred_thousand_records_come_back_exactly) {
    broker_process broker;
    const std::string topic = "codec-" + GetParam();
    ASSERT_EQ(create_topic(broker.bootstrap(), topic, partitions), "");
    const int n = 100000;
    std::vector<record> sent;
    sent.reserve(n);
    {
        producer p(broker.bootstrap(), {{"compression.codec", GetParam()}, {"linger.ms", "5"}, {"acks", "all"}});
        for (int i = 0; i < n; ++i) {
            sent.push_back(make_record(i));
            p.send(topic, sent.back());
        }
        p.flush();
        ASSERT_TRUE(p.failures.empty()) << rd_kafka_err2name(p.failures.front());
        ASSERT_EQ(p.acknowledged.size(), size_t(n));
        // Offsets per partition are dense and start at 0.
        std::map<int32_t, std::vector<int64_t>> offsets;
        for (const auto& r : p.acknowledged) offsets[r.partition].push_back(r.offset);
        for (auto& [part, list] : offsets) {
            std::sort(list.begin(), list.end());
            for (size_t i = 0; i < list.size(); ++i) ASSERT_EQ(list[i], int64_t(i)) << "partition " << part;
        }
    }
    auto got = consume_all(broker.bootstrap(), topic, partitions, n);
    expect_same_per_partition(sent, got);
}

INSTANTIATE_TEST_SUITE_P(codecs, codec_round_trip, ::testing::Values("none", "gzip", "snappy", "lz4", "zstd"));

// Several producers at once, each with a connection of its own, acks=all to
// the same partitions: their appends share group-commit rounds with the
// flusher thread (the test tsan-test runs against the ThreadSanitizer broker).
// Every record is acknowledged once, offsets are dense per partition, and each
// acknowledged offset reads back as the record acknowledged there.
TEST(concurrent_producers, acks_all_from_several_connections_loses_nothing) {
    broker_process broker;
    ASSERT_EQ(create_topic(broker.bootstrap(), "shared", partitions), "");
    constexpr int producers = 4;
    constexpr int per_producer = 5000;
    std::vector<std::unique_ptr<producer>> ps;
    for (int k = 0; k < producers; ++k)
        ps.push_back(std::make_unique<producer>(broker.bootstrap(), config{{"acks", "all"}, {"linger.ms", "1"}}));
    // Queued in turns; each producer's own threads send, so the connections
    // write at the same time.
    for (int i = 0; i < per_producer; ++i) {
        for (int k = 0; k < producers; ++k) {
            record r = make_record(i * producers + k);
            r.value = "producer-" + std::to_string(k) + "-" + std::to_string(i);
            ps[size_t(k)]->send("shared", r);
        }
        if (i % 200 == 0)
            for (auto& p : ps) p->poll(0);
    }
    std::map<int32_t, std::vector<int64_t>> offsets;
    std::vector<record> acked;
    for (auto& p : ps) {
        p->flush();
        ASSERT_TRUE(p->failures.empty()) << rd_kafka_err2name(p->failures.front());
        ASSERT_EQ(p->acknowledged.size(), size_t(per_producer));
        for (const auto& r : p->acknowledged) {
            offsets[r.partition].push_back(r.offset);
            acked.push_back(r);
        }
    }
    for (auto& [part, list] : offsets) {
        std::sort(list.begin(), list.end());
        for (size_t i = 0; i < list.size(); ++i) ASSERT_EQ(list[i], int64_t(i)) << "partition " << part;
    }
    auto got = consume_all(broker.bootstrap(), "shared", partitions, acked.size());
    ASSERT_EQ(got.size(), acked.size());
    std::map<std::pair<int32_t, int64_t>, record> by_position;
    for (const auto& r : got) by_position[{r.partition, r.offset}] = r;
    for (const auto& a : acked) {
        auto it = by_position.find({a.partition, a.offset});
        ASSERT_NE(it, by_position.end()) << "partition " << a.partition << " offset " << a.offset;
        EXPECT_EQ(it->second.value, a.value);
        EXPECT_EQ(it->second.key, a.key);
    }
}

TEST(offsets_by_timestamp, finds_the_first_record_at_or_after_a_time) {
    broker_process broker;
    ASSERT_EQ(create_topic(broker.bootstrap(), "times", 1), "");
    producer p(broker.bootstrap(), {{"linger.ms", "0"}});
    // Separate flushes make separate batches.
    for (int i = 0; i < 50; ++i) {
        record r;
        r.value = "v" + std::to_string(i);
        r.timestamp = base_ts + i * 1000;
        p.send("times", r);
        p.flush();
    }
    EXPECT_EQ(offset_for_time(broker.bootstrap(), "times", 0, base_ts), 0);
    EXPECT_EQ(offset_for_time(broker.bootstrap(), "times", 0, base_ts + 10 * 1000), 10);
    EXPECT_EQ(offset_for_time(broker.bootstrap(), "times", 0, base_ts + 10 * 1000 - 1), 10);
    EXPECT_EQ(offset_for_time(broker.bootstrap(), "times", 0, base_ts + 49 * 1000), 49);
    // Past the newest record: the log end offset, as Kafka clients see it (-1 becomes the end).
    EXPECT_EQ(offset_for_time(broker.bootstrap(), "times", 0, base_ts + 60 * 1000), -1);
}

TEST(offsets_by_timestamp, answers_with_the_record_inside_a_compressed_batch) {
    broker_process broker;
    ASSERT_EQ(create_topic(broker.bootstrap(), "times-batched", 1), "");
    producer p(broker.bootstrap(), {{"linger.ms", "100"}, {"compression.codec", "lz4"}});
    // One batch of 100 records, timestamps 10 ms apart.
    for (int i = 0; i < 100; ++i) {
        record r;
        r.value = "v" + std::to_string(i);
        r.timestamp = base_ts + i * 10;
        p.send("times-batched", r);
    }
    p.flush();
    ASSERT_EQ(p.acknowledged.size(), 100u);
    EXPECT_EQ(offset_for_time(broker.bootstrap(), "times-batched", 0, base_ts + 375), 38);
    EXPECT_EQ(offset_for_time(broker.bootstrap(), "times-batched", 0, base_ts + 990), 99);
}

TEST(restart, clean_restart_keeps_every_record_and_offsets_continue) {
    broker_process broker;
    ASSERT_EQ(create_topic(broker.bootstrap(), "durable", 2), "");
    std::vector<record> sent;
    {
        producer p(broker.bootstrap(), {{"acks", "all"}});
        for (int i = 0; i < 2000; ++i) {
            sent.push_back(make_record(i));
            sent.back().partition = i % 2;
            p.send("durable", sent.back());
        }
        p.flush();
        ASSERT_EQ(p.acknowledged.size(), sent.size());
    }
    ASSERT_EQ(broker.stop(), 0);
    broker.start();
    {
        producer p(broker.bootstrap(), {{"acks", "all"}});
        record extra = make_record(5000);
        extra.partition = 0;
        p.send("durable", extra);
        p.flush();
        ASSERT_EQ(p.acknowledged.size(), 1u);
        EXPECT_EQ(p.acknowledged[0].offset, 1000);  // partition 0 had offsets 0..999
        sent.push_back(extra);
    }
    expect_same_per_partition(sent, consume_all(broker.bootstrap(), "durable", 2, sent.size()));
}

TEST(crash, kill9_loses_no_acknowledged_record) {
    broker_process broker;
    ASSERT_EQ(create_topic(broker.bootstrap(), "crash", 2), "");
    std::vector<record> acked;
    {
        // Retries off and a short timeout, so the producer gives up quickly once the broker is gone.
        producer p(broker.bootstrap(), {{"acks", "all"}, {"linger.ms", "1"}, {"message.timeout.ms", "3000"},
                                        {"retries", "0"}, {"enable.idempotence", "false"}});
        auto send = [&](int i) {
            record r = make_record(i);
            r.partition = i % 2;
            p.send("crash", r);
        };
        // Produce until acknowledgements flow, then kill -9 with batches in flight.
        bool killed = false;
        int i = 0;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (!killed && std::chrono::steady_clock::now() < deadline) {
            send(i++);
            if (i % 100 == 0) p.poll(0);
            if (p.acknowledged.size() >= 2000) {
                broker.kill9();
                killed = true;
            }
        }
        for (int j = 0; j < 20000; ++j) send(i++);
        p.flush(10000);
        acked = p.acknowledged;
        ASSERT_TRUE(killed);
        EXPECT_GE(acked.size(), 2000u);
    }
    broker.start();
    // Records written but never acknowledged may be there too: read to the end.
    int64_t total = high_watermark(broker.bootstrap(), "crash", 0) + high_watermark(broker.bootstrap(), "crash", 1);
    ASSERT_GE(total, int64_t(acked.size()));
    auto got = consume_all(broker.bootstrap(), "crash", 2, size_t(total), 30000);
    ASSERT_EQ(got.size(), size_t(total));
    std::map<std::pair<int32_t, int64_t>, record> by_position;
    for (const auto& r : got) by_position[{r.partition, r.offset}] = r;
    for (const auto& a : acked) {
        auto it = by_position.find({a.partition, a.offset});
        ASSERT_NE(it, by_position.end()) << "acknowledged record missing: partition " << a.partition << " offset "
                                         << a.offset;
        EXPECT_EQ(it->second.value, a.value);
        EXPECT_EQ(it->second.key, a.key);
    }
}

} // namespace
} // namespace strata::test
