// Log compaction against the real broker, produced to and consumed with
// librdkafka: a cleanup.policy=compact topic keeps exactly the latest value of
// each key at the offset it was given, drops tombstones once
// delete.retention.ms has passed, refuses records without a key, and follows
// cleanup.policy changes made at runtime with IncrementalAlterConfigs; the
// cleaner's metrics count its passes.

#include <gtest/gtest.h>

#include <map>

#include "broker_process.h"
#include "http_client.h"
#include "partition_io.h"
#include "raw_client.h"
#include "rdkafka_client.h"
#include "strata/kafka/protocol/messages/incremental_alter_configs.h"
#include "strata/storage/batch_builder.h"

namespace strata::test {
namespace {

using namespace std::chrono_literals;

// The machine is shared and slow at times: conditions get this long.
constexpr auto patience = 120s;

// Small segments that roll after 100 ms, cleaned as soon as anything is dirty.
config small_segments(config extra = {}) {
    config c{{"segment.bytes", "1024"}, {"segment.ms", "100"}, {"min.cleanable.dirty.ratio", "0.01"}};
    c.insert(extra.begin(), extra.end());
    return c;
}

class compaction : public ::testing::Test {
protected:
    void SetUp() override {
        broker = std::make_unique<broker_process>(
            std::vector<std::string>{"log.cleaner.backoff.ms=100", "log.retention.check.interval.ms=100"});
        p = std::make_unique<producer>(broker->bootstrap(), config{{"linger.ms", "5"}});
    }

    // Sets topic configs with IncrementalAlterConfigs (SET); the error code.
    int16_t alter(const std::string& topic, const std::vector<std::pair<std::string, std::string>>& set) {
        raw_client c(broker->port());
        kafka::msg::incremental_alter_configs_request req;
        auto& r = req.resources.emplace_back();
        r.resource_type = 2;  // TOPIC
        r.resource_name = topic;
        for (const auto& [k, v] : set) r.configs.push_back({k, 0, v});
        c.send(req, 1);
        auto resp = c.receive<kafka::msg::incremental_alter_configs_response>(1);
        return resp && !resp->responses.empty() ? resp->responses[0].error_code : int16_t(-100);
    }
    // A record of a key of its own, so that the segments holding the test's
    // records roll and become cleanable while the test waits.
    void tick(const std::string& topic) {
        p->send(topic, {0, -1, "tick", "t"});
        p->flush();
    }
    // The whole partition, read by a librdkafka consumer; empty if it could not reach the end.
    std::vector<record> contents(const std::string& topic) {
        return consume_to_end(broker->bootstrap(), topic, 0).value_or(std::vector<record>{});
    }

    std::unique_ptr<broker_process> broker;
    std::unique_ptr<producer> p;
};

// Every record of the keys in `latest` is exactly that key's latest record
// (same offset, same value or tombstone), and keys in `gone` have none.
bool only_latest(const std::vector<record>& got, const std::map<std::string, record>& latest,
                 const std::vector<std::string>& gone = {}) {
    std::map<std::string, std::vector<record>> by_key;
    for (const auto& r : got) by_key[r.key.value_or("")].push_back(r);
    for (const auto& [key, want] : latest) {
        const auto& have = by_key[key];
        if (have.size() != 1 || have[0].offset != want.offset || have[0].value != want.value) return false;
    }
    for (const auto& key : gone)
        if (by_key.contains(key)) return false;
    return true;
}

TEST_F(compaction, consumers_see_the_latest_value_of_each_key_and_tombstones_go_after_delete_retention_ms) {
    ASSERT_EQ(create_topic(broker->bootstrap(), "profiles", 1,
                           small_segments({{"cleanup.policy", "compact"}, {"delete.retention.ms", "86400000"}})),
              "");
    for (int round = 0; round < 20; ++round)
        for (int k = 0; k < 10; ++k)
            p->send("profiles",
                    {0, -1, "k" + std::to_string(k), "k" + std::to_string(k) + "-v" + std::to_string(round)});
    p->send("profiles", {0, -1, "k0", std::nullopt});
    p->send("profiles", {0, -1, "k1", std::nullopt});
    p->flush();
    ASSERT_TRUE(p->failures.empty());
    ASSERT_EQ(p->acknowledged.size(), 202u);
    std::map<std::string, record> latest;
    for (const auto& r : p->acknowledged)
        if (!latest.contains(*r.key) || latest[*r.key].offset < r.offset) latest[*r.key] = r;
    ASSERT_EQ(latest["k0"].value, std::nullopt);

    std::vector<record> got;
    ASSERT_TRUE(wait_until(
        [&] {
            tick("profiles");
            got = contents("profiles");
            return only_latest(got, latest);
        },
        patience, 500ms))
        << "still uncompacted; see " << broker->log_file();
    EXPECT_GE(broker->log_lines_containing("cleaner: cleaned profiles-0"), 1u);
    // The cleaner's metrics count what it did (copied on the broker's one-second housekeeping tick).
    std::string text;
    EXPECT_TRUE(wait_until(
        [&] {
            text = http_body(http_get(broker->metrics_port(), "/metrics"));
            return metric_sample(text, R"(strata_log_cleaner_passes_total{outcome="cleaned"})") >= 1;
        },
        10s, 100ms))
        << text;
    EXPECT_GE(metric_sample(text, "strata_log_cleaner_records_removed_total"), 1);
    EXPECT_GT(metric_sample(text, "strata_log_cleaner_bytes_removed_total"), 0);
    EXPECT_GT(metric_sample(text, "strata_log_cleaner_bytes_read_total"), 0);
    EXPECT_GT(metric_sample(text, "strata_log_cleaner_last_pass_seconds"), -1);  // present
    EXPECT_EQ(metric_sample(text, "strata_log_cleaner_uncleanable_partitions"), 0);
    // Offsets are the ones the producer was given: increasing, with gaps.
    for (size_t i = 1; i < got.size(); ++i) EXPECT_LT(got[i - 1].offset, got[i].offset);
    EXPECT_LT(got.size(), p->acknowledged.size());
    // ListOffsets: the start and end of the log are where they were, and a
    // lookup by time lands on a record that is still there.
    int64_t last_acked = 0;
    for (const auto& r : p->acknowledged) last_acked = std::max(last_acked, r.offset);
    EXPECT_EQ(offset_for_time(broker->bootstrap(), "profiles", 0, -2), 0);
    EXPECT_EQ(high_watermark(broker->bootstrap(), "profiles", 0), last_acked + 1);
    EXPECT_EQ(offset_for_time(broker->bootstrap(), "profiles", 0, 0), got.front().offset);

    // Tombstones stay for delete.retention.ms: with it at zero they go at the next pass.
    ASSERT_EQ(alter("profiles", {{"delete.retention.ms", "0"}}), 0);
    latest.erase("k0");
    latest.erase("k1");
    ASSERT_TRUE(wait_until(
        [&] {
            tick("profiles");
            got = contents("profiles");
            return only_latest(got, latest, {"k0", "k1"});
        },
        patience, 500ms))
        << "tombstones still there; see " << broker->log_file();
    EXPECT_EQ(latest.size(), 8u);
}

TEST_F(compaction, a_record_without_a_key_is_an_invalid_record) {
    ASSERT_EQ(create_topic(broker->bootstrap(), "keyed", 1, {{"cleanup.policy", "compact"}}), "");
    p->send("keyed", {0, -1, std::nullopt, "no key"});
    p->flush();
    ASSERT_EQ(p->failures.size(), 1u);
    EXPECT_EQ(p->failures[0], RD_KAFKA_RESP_ERR_INVALID_RECORD);
    EXPECT_EQ(high_watermark(broker->bootstrap(), "keyed", 0), 0);
    p->send("keyed", {0, -1, "key", "value"});
    p->flush();
    ASSERT_EQ(p->acknowledged.size(), 1u);
    EXPECT_EQ(p->acknowledged[0].offset, 0);

    // On the wire (Produce v9): an error for each record without a key, Kafka's message.
    storage::batch_options opts;
    opts.compression = storage::compression_type::zstd;
    storage::batch_builder b(opts);
    for (const char* key : {"a", "", "c", ""})
        b.add({*key ? std::optional(storage::bytes_of(key)) : std::nullopt, storage::bytes_of("v"), 1000, {}});
    raw_client c(broker->port());
    auto out = produce_batch(c, "keyed", *b.build());
    EXPECT_EQ(out.error, 87);  // INVALID_RECORD
    const std::string message = "Compacted topic cannot accept message without key in topic partition keyed-0.";
    EXPECT_EQ(out.record_errors, (std::vector<std::pair<int32_t, std::string>>{{1, message}, {3, message}}));
    EXPECT_EQ(high_watermark(broker->bootstrap(), "keyed", 0), 1);
}

TEST_F(compaction, cleanup_policy_changes_at_runtime_take_effect) {
    ASSERT_EQ(create_topic(broker->bootstrap(), "switching", 1, small_segments()), "");
    for (int i = 0; i < 30; ++i) p->send("switching", {0, -1, "a", "a-" + std::to_string(i)});
    p->flush();
    ASSERT_EQ(p->acknowledged.size(), 30u);
    const record last = p->acknowledged.back();

    // delete -> compact: the cleaner takes the topic on.
    ASSERT_EQ(alter("switching", {{"cleanup.policy", "compact"}}), 0);
    ASSERT_TRUE(wait_until(
        [&] {
            tick("switching");
            return only_latest(contents("switching"), {{"a", last}});
        },
        patience, 500ms))
        << "not compacted after the switch; see " << broker->log_file();

    // compact -> compact,delete: retention applies again and deletes old segments.
    ASSERT_EQ(alter("switching", {{"cleanup.policy", "compact,delete"}, {"retention.ms", "1"}}), 0);
    ASSERT_TRUE(wait_until(
        [&] {
            tick("switching");
            return offset_for_time(broker->bootstrap(), "switching", 0, -2) > last.offset;
        },
        patience, 500ms))
        << "retention did not apply; see " << broker->log_file();
}

// _schemas is compacted too: under a retention that would delete its closed
// segments, a registered schema keeps its ID across a restart and no new
// schema is given that ID again.
TEST(schemas_topic, registered_schemas_survive_segment_rolls_retention_and_restarts) {
    broker_process broker({"log.roll.ms=100", "log.retention.ms=1", "log.retention.check.interval.ms=100",
                           "log.cleaner.backoff.ms=100", "log.cleaner.min.cleanable.ratio=0.01"});
    auto register_schema = [&](int n) {
        std::string body = R"({"schemaType":"JSON","schema":"{\"type\":\"object\",\"title\":\"s)" +
                           std::to_string(n) + R"(\"}"})";
        auto path = "/subjects/s" + std::to_string(n) + "/versions";
        auto reply = http_request(broker.registry_port(), "POST", path, body);
        auto text = http_body(reply);
        auto at = text.find("\"id\":");
        return at == std::string::npos ? -1 : std::stoi(text.substr(at + 5));
    };
    const int first = register_schema(0);
    ASSERT_GT(first, 0);
    // More registrations roll _schemas' segments, while retention checks and
    // cleaner passes come and go: until the cleaner has cleaned it (or, were
    // it delete-policy, retention deleted the first schema's segment).
    int n = 0, last = first;
    ASSERT_TRUE(wait_until(
        [&] {
            last = register_schema(++n);
            return broker.log_lines_containing("cleaner: cleaned _schemas-0") >= 1 ||
                   offset_for_time(broker.bootstrap(), "_schemas", 0, -2) > 0;
        },
        patience))
        << "see " << broker.log_file();
    ASSERT_GT(last, first);
    ASSERT_EQ(broker.stop(), 0);
    broker.start();
    auto kept = http_get(broker.registry_port(), "/schemas/ids/" + std::to_string(first));
    EXPECT_NE(kept.find(" 200 "), std::string::npos) << kept;
    EXPECT_NE(http_body(kept).find("s0"), std::string::npos) << kept;
    EXPECT_GT(register_schema(n + 1), last);
}

} // namespace
} // namespace strata::test
