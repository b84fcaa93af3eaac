// Exact protocol behaviour over a raw socket: version negotiation, error codes
// for bad batches, idempotent sequences, fetch sessions, and that a bad client
// never disturbs the others.

#include <gtest/gtest.h>

#include "broker_process.h"
#include "raw_client.h"
#include "strata/kafka/protocol/errors.h"
#include "strata/kafka/protocol/messages/api_versions.h"
#include "strata/kafka/protocol/messages/create_topics.h"
#include "strata/kafka/protocol/messages/fetch.h"
#include "strata/kafka/protocol/messages/init_producer_id.h"
#include "strata/kafka/protocol/messages/metadata.h"
#include "strata/kafka/protocol/messages/produce.h"
#include "strata/storage/batch_builder.h"

namespace strata::test {
namespace {

using namespace strata::kafka;
using kafka::error_code;

std::vector<uint8_t> batch(int records, int64_t producer_id = -1, int16_t epoch = -1, int32_t sequence = -1) {
    storage::batch_options opts;
    opts.producer_id = producer_id;
    opts.producer_epoch = epoch;
    opts.base_sequence = sequence;
    storage::batch_builder b(opts);
    static const std::string value = "payload";
    for (int i = 0; i < records; ++i) b.add({std::nullopt, storage::bytes_of(value), 1700000000000 + i, {}});
    return *b.build();
}

class protocol : public ::testing::Test {
protected:
    void SetUp() override {
        broker = std::make_unique<broker_process>();
        client = std::make_unique<raw_client>(broker->port());
    }

    // Creates a topic; optional config overrides.
    void create(const std::string& name, std::vector<std::pair<std::string, std::string>> configs = {}) {
        msg::create_topics_request req;
        auto& t = req.topics.emplace_back();
        t.name = name;
        t.num_partitions = 1;
        t.replication_factor = 1;
        for (auto& [k, v] : configs) t.configs.push_back({k, v});
        client->send(req, 7);
        auto resp = client->receive<msg::create_topics_response>(7);
        ASSERT_TRUE(resp);
        ASSERT_EQ(resp->topics.at(0).error_code, 0);
    }

    msg::produce_response::partition_produce_response produce(const std::string& topic, std::vector<uint8_t>& bytes,
                                                               int16_t acks = -1) {
        msg::produce_request req;
        req.acks = acks;
        req.timeout_ms = 5000;
        auto& t = req.topic_data.emplace_back();
        t.name = topic;
        auto& p = t.partition_data.emplace_back();
        p.index = 0;
        p.records = records::view(bytes);
        client->send(req, 11);
        auto resp = client->receive<msg::produce_response>(11);
        if (!resp) return {};
        return resp->responses.at(0).partition_responses.at(0);
    }

    std::unique_ptr<broker_process> broker;
    std::unique_ptr<raw_client> client;
};

TEST_F(protocol, api_versions_lists_what_kafka_4_clients_need) {
    client->send(msg::api_versions_request{{"strata-test"}, {"1.0"}}, 4);
    auto resp = client->receive<msg::api_versions_response>(4);
    ASSERT_TRUE(resp);
    EXPECT_EQ(resp->error_code, 0);
    std::map<int16_t, std::pair<int16_t, int16_t>> versions;
    for (auto& k : resp->api_keys) versions[k.api_key] = {k.min_version, k.max_version};
    // Produce is advertised from 0 like Kafka 4.x (older librdkafka needs it).
    EXPECT_EQ(versions[0], std::make_pair(int16_t(0), int16_t(13)));
    EXPECT_EQ(versions[1], std::make_pair(int16_t(4), int16_t(18)));
    EXPECT_EQ(versions[3], std::make_pair(int16_t(0), int16_t(13)));
    EXPECT_EQ(versions[18], std::make_pair(int16_t(0), int16_t(4)));
}

TEST_F(protocol, too_new_api_versions_gets_unsupported_version_with_the_list) {
    // A client newer than the broker sends ApiVersions v99; Kafka answers with a
    // v0 response carrying UNSUPPORTED_VERSION and its ranges.
    client->send(msg::api_versions_request{{"strata-test"}, {"1.0"}}, 99);
    auto resp = client->receive<msg::api_versions_response>(0);
    ASSERT_TRUE(resp);
    EXPECT_EQ(resp->error_code, code(error_code::unsupported_version));
    EXPECT_GT(resp->api_keys.size(), 10u);
}

TEST_F(protocol, unknown_api_key_closes_only_that_connection) {
    writer w;
    w.write_int16(999);  // api key
    w.write_int16(0);
    w.write_int32(7);
    w.write_int16(-1);
    client->send_frame(w.buffer());
    EXPECT_TRUE(client->closed_by_peer());
    raw_client other(broker->port());
    other.send(msg::api_versions_request{}, 0);
    EXPECT_TRUE(other.receive<msg::api_versions_response>(0));
}

TEST_F(protocol, oversize_frame_closes_the_connection) {
    std::vector<uint8_t> size_only{0x7f, 0xff, 0xff, 0xff};
    client->send_raw(size_only);
    EXPECT_TRUE(client->closed_by_peer());
    std::vector<uint8_t> negative{0xff, 0xff, 0xff, 0xf0};
    raw_client other(broker->port());
    other.send_raw(negative);
    EXPECT_TRUE(other.closed_by_peer());
}

TEST_F(protocol, corrupt_batch_gets_corrupt_message_and_the_connection_keeps_working) {
    create("corrupt");
    auto bad = batch(3);
    bad.back() ^= 0xff;  // the CRC no longer matches
    EXPECT_EQ(produce("corrupt", bad).error_code, code(error_code::corrupt_message));
    auto good = batch(3);
    auto ok = produce("corrupt", good);
    EXPECT_EQ(ok.error_code, 0);
    EXPECT_EQ(ok.base_offset, 0);  // the corrupt batch took no offsets
}

TEST_F(protocol, batch_larger_than_max_message_bytes_gets_message_too_large) {
    create("small", {{"max.message.bytes", "200"}});
    auto big = batch(50);
    ASSERT_GT(big.size(), 200u);
    EXPECT_EQ(produce("small", big).error_code, code(error_code::message_too_large));
    auto fits = batch(1);
    EXPECT_EQ(produce("small", fits).error_code, 0);
}

TEST_F(protocol, produce_to_a_missing_topic_is_unknown_topic_or_partition) {
    auto b = batch(1);
    EXPECT_EQ(produce("nope", b).error_code, code(error_code::unknown_topic_or_partition));
}

TEST_F(protocol, invalid_acks_value_is_rejected) {
    create("acks");
    auto b = batch(1);
    EXPECT_EQ(produce("acks", b, 2).error_code, code(error_code::invalid_required_acks));
}

TEST_F(protocol, acks_zero_sends_no_response) {
    create("fire");
    auto b = batch(2);
    msg::produce_request req;
    req.acks = 0;
    req.timeout_ms = 1000;
    auto& t = req.topic_data.emplace_back();
    t.name = "fire";
    t.partition_data.push_back({0, records::view(b)});
    client->send(req, 9);
    // The next response on the connection answers the next request.
    int32_t id = client->send(msg::api_versions_request{}, 0);
    int32_t got = -1;
    ASSERT_TRUE(client->receive<msg::api_versions_response>(0, &got));
    EXPECT_EQ(got, id);
}

TEST_F(protocol, idempotent_sequences_dedupe_and_detect_gaps) {
    create("idem");
    client->send(msg::init_producer_id_request{std::nullopt, 60000, -1, -1}, 4);
    auto pid = client->receive<msg::init_producer_id_response>(4);
    ASSERT_TRUE(pid);
    ASSERT_EQ(pid->error_code, 0);
    ASSERT_GE(pid->producer_id, 0);
    auto first = batch(5, pid->producer_id, pid->producer_epoch, 0);
    auto first_copy = first;
    auto a = produce("idem", first);
    ASSERT_EQ(a.error_code, 0);
    EXPECT_EQ(a.base_offset, 0);
    // The same batch again (a retry) is acknowledged with the original offset and not written twice.
    auto again = produce("idem", first_copy);
    EXPECT_EQ(again.error_code, 0);
    EXPECT_EQ(again.base_offset, 0);
    auto next = batch(2, pid->producer_id, pid->producer_epoch, 5);
    EXPECT_EQ(produce("idem", next).base_offset, 5);
    auto gap = batch(1, pid->producer_id, pid->producer_epoch, 10);
    EXPECT_EQ(produce("idem", gap).error_code, code(error_code::out_of_order_sequence_number));
    // Five more batches, and a retry of the second is older than every batch
    // remembered: written already, its offsets forgotten (clients count it delivered).
    for (int32_t seq = 7; seq < 12; ++seq) {
        auto b = batch(1, pid->producer_id, pid->producer_epoch, seq);
        ASSERT_EQ(produce("idem", b).error_code, 0) << "sequence " << seq;
    }
    auto late_retry = batch(2, pid->producer_id, pid->producer_epoch, 5);
    EXPECT_EQ(produce("idem", late_retry).error_code, code(error_code::duplicate_sequence_number));
}

TEST_F(protocol, fetch_sessions_follow_kip_227) {
    create("sess");
    auto b = batch(4);
    ASSERT_EQ(produce("sess", b).error_code, 0);
    auto fetch = [&](int32_t session_id, int32_t epoch, bool with_partition, int64_t offset = 0) {
        msg::fetch_request req;
        req.max_wait_ms = 0;
        req.min_bytes = 1;
        req.session_id = session_id;
        req.session_epoch = epoch;
        if (with_partition) {
            auto& t = req.topics.emplace_back();
            t.topic = "sess";
            auto& p = t.partitions.emplace_back();
            p.partition = 0;
            p.fetch_offset = offset;
            p.partition_max_bytes = 1 << 20;
        }
        client->send(req, 12);
        return client->receive<msg::fetch_response>(12);
    };
    auto full = fetch(0, 0, true);
    ASSERT_TRUE(full);
    EXPECT_EQ(full->error_code, 0);
    ASSERT_NE(full->session_id, 0);
    ASSERT_EQ(full->responses.size(), 1u);
    EXPECT_EQ(full->responses[0].partitions[0].high_watermark, 4);
    EXPECT_GT(full->responses[0].partitions[0].records.size(), 0u);
    // Incremental: the client moved its position to 4; nothing new and the
    // high watermark unchanged, so the partition is left out.
    auto inc = fetch(full->session_id, 1, true, 4);
    ASSERT_TRUE(inc);
    EXPECT_EQ(inc->error_code, 0);
    EXPECT_EQ(inc->session_id, full->session_id);
    EXPECT_TRUE(inc->responses.empty());
    // New data: an incremental fetch naming no partitions still returns it.
    auto more = batch(2);
    ASSERT_EQ(produce("sess", more).base_offset, 4);
    auto inc2 = fetch(full->session_id, 2, false);
    ASSERT_TRUE(inc2);
    ASSERT_EQ(inc2->responses.size(), 1u);
    EXPECT_EQ(inc2->responses[0].partitions[0].high_watermark, 6);
    EXPECT_GT(inc2->responses[0].partitions[0].records.size(), 0u);
    auto wrong_epoch = fetch(full->session_id, 7, false);
    ASSERT_TRUE(wrong_epoch);
    EXPECT_EQ(wrong_epoch->error_code, code(error_code::invalid_fetch_session_epoch));
    auto unknown = fetch(12345, 1, false);
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->error_code, code(error_code::fetch_session_id_not_found));
}

TEST_F(protocol, metadata_auto_creates_and_rejects_bad_names) {
    msg::metadata_request req;
    req.topics.emplace();
    req.topics->push_back({{}, std::string("auto-made")});
    req.topics->push_back({{}, std::string("bad name!")});
    req.allow_auto_topic_creation = true;
    client->send(req, 12);
    auto resp = client->receive<msg::metadata_response>(12);
    ASSERT_TRUE(resp);
    ASSERT_EQ(resp->topics.size(), 2u);
    EXPECT_EQ(resp->topics[0].error_code, 0);
    EXPECT_EQ(resp->topics[0].partitions.size(), 1u);
    EXPECT_FALSE(resp->topics[0].topic_id.is_zero());
    EXPECT_EQ(resp->topics[1].error_code, code(error_code::invalid_topic_exception));
}

} // namespace
} // namespace strata::test
