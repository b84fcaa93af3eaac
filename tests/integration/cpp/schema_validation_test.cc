// Produce-time schema validation as the wire shows it, with the generated
// messages over a raw socket: a rejected batch's per-record errors (Produce
// v8+), and an idempotent batch in `dlq` mode sent twice.

#include <gtest/gtest.h>

#include "broker_process.h"
#include "http_client.h"
#include "partition_io.h"
#include "raw_client.h"
#include "schema_kit.h"
#include "strata/kafka/protocol/errors.h"
#include "strata/kafka/protocol/messages/init_producer_id.h"
#include "strata/kafka/protocol/messages/produce.h"
#include "strata/storage/batch_builder.h"

namespace strata::test {
namespace {

using namespace strata::kafka;
using partition_response = msg::produce_response::partition_produce_response;

constexpr const char* schema_body =
    R"({"schemaType":"JSON","schema":"{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}},)"
    R"(\"required\":[\"n\"],\"additionalProperties\":false}"})";

class schema_validation : public ::testing::Test {
protected:
    void SetUp() override {
        broker = std::make_unique<broker_process>();
        client = std::make_unique<raw_client>(broker->port());
    }

    // Registers the JSON schema {"n": integer} under `subject`; its ID.
    int32_t register_schema(const std::string& subject) {
        auto reply = http_request(broker->registry_port(), "POST", "/subjects/" + subject + "/versions", schema_body);
        EXPECT_NE(reply.find(" 200 "), std::string::npos) << reply;
        auto body = http_body(reply);
        auto at = body.find("\"id\":");
        if (at == std::string::npos) return -1;
        return std::stoi(body.substr(at + 5));
    }

    // Five records: 0, 2 and 4 valid; 1 has no schema ID; 3 breaks the schema.
    std::vector<uint8_t> mixed_batch(int32_t id, int64_t producer_id = -1, int16_t epoch = -1, int32_t sequence = -1) {
        values = {framed(id, R"({"n":0})"), R"({"n":1})", framed(id, R"({"n":2})"), framed(id, R"({"n":"three"})"),
                  framed(id, R"({"n":4})")};
        storage::batch_options opts;
        opts.producer_id = producer_id;
        opts.producer_epoch = epoch;
        opts.base_sequence = sequence;
        opts.compression = storage::compression_type::lz4;
        storage::batch_builder b(opts);
        for (size_t i = 0; i < values.size(); ++i)
            b.add({std::nullopt, storage::bytes_of(values[i]), 1700000000000 + int64_t(i), {}});
        return *b.build();
    }

    partition_response produce(const std::string& topic, std::vector<uint8_t> bytes, int16_t version) {
        msg::produce_request req;
        req.acks = -1;
        req.timeout_ms = 10000;
        auto& t = req.topic_data.emplace_back();
        t.name = topic;
        t.partition_data.push_back({0, records::view(bytes)});
        client->send(req, version);
        auto resp = client->receive<msg::produce_response>(version);
        EXPECT_TRUE(resp);
        if (!resp) return {};
        return resp->responses.at(0).partition_responses.at(0);
    }

    std::unique_ptr<broker_process> broker;
    std::unique_ptr<raw_client> client;
    std::vector<std::string> values;
};

TEST_F(schema_validation, a_rejected_batch_names_each_failing_record_and_why) {
    ASSERT_EQ(create_topic(*client, "strict", 1, {{"strata.value.schema.validation", "full"}}), 0);
    const int32_t id = register_schema("strict-value");
    ASSERT_GT(id, 0);
    const std::string missing_id = "value has no schema ID: its first byte is 123, not the magic byte 0";
    const std::string mismatch = "value does not match schema ID " + std::to_string(id) + ": ";

    for (int16_t version : {8, 9, 11}) {
        SCOPED_TRACE("Produce v" + std::to_string(version));
        auto out = produce("strict", mixed_batch(id), version);
        EXPECT_EQ(out.error_code, code(error_code::invalid_record));
        EXPECT_EQ(out.base_offset, -1);
        ASSERT_EQ(out.record_errors.size(), 2u);
        EXPECT_EQ(out.record_errors[0].batch_index, 1);
        EXPECT_EQ(out.record_errors[0].batch_index_error_message, missing_id);
        EXPECT_EQ(out.record_errors[1].batch_index, 3);
        ASSERT_TRUE(out.record_errors[1].batch_index_error_message);
        EXPECT_EQ(out.record_errors[1].batch_index_error_message->rfind(mismatch, 0), 0u)
            << *out.record_errors[1].batch_index_error_message;
        EXPECT_GT(out.record_errors[1].batch_index_error_message->size(), mismatch.size()) << "says what is wrong";
        EXPECT_EQ(out.error_message, "2 of 5 records failed schema validation; record 1: " + missing_id);
    }
    // Produce v7 has no place for them: the code alone.
    EXPECT_EQ(produce("strict", mixed_batch(id), 7).error_code, code(error_code::invalid_record));

    auto stored = read_partition(*client, "strict");
    EXPECT_EQ(stored.high_watermark, 0) << "nothing of a rejected batch is appended";
    EXPECT_TRUE(stored.records.empty());
}

TEST_F(schema_validation, a_retried_dead_lettered_batch_is_written_and_counted_once) {
    ASSERT_EQ(create_topic(*client, "routed", 1,
                           {{"strata.value.schema.validation", "full"}, {"strata.schema.validation.failure", "dlq"}}),
              0);
    const int32_t id = register_schema("routed-value");
    ASSERT_GT(id, 0);
    client->send(msg::init_producer_id_request{std::nullopt, 60000, -1, -1}, 4);
    auto pid = client->receive<msg::init_producer_id_response>(4);
    ASSERT_TRUE(pid);
    ASSERT_EQ(pid->error_code, 0);

    auto first = produce("routed", mixed_batch(id, pid->producer_id, pid->producer_epoch, 0), 11);
    EXPECT_EQ(first.error_code, 0);
    EXPECT_EQ(first.base_offset, 0);
    EXPECT_TRUE(first.record_errors.empty());
    // The same batch again, as a producer retries it after a lost response.
    auto again = produce("routed", mixed_batch(id, pid->producer_id, pid->producer_epoch, 0), 11);
    EXPECT_EQ(again.error_code, 0);
    EXPECT_EQ(again.base_offset, 0);
    auto next = produce("routed", mixed_batch(id, pid->producer_id, pid->producer_epoch, 5), 11);
    EXPECT_EQ(next.error_code, 0);
    EXPECT_EQ(next.base_offset, 5) << "the split batch spent all five sequence numbers";

    auto kept = read_partition(*client, "routed");
    ASSERT_TRUE(kept.valid);
    std::vector<std::pair<int64_t, std::string>> got;
    for (auto& r : kept.records) got.emplace_back(r.offset, std::string(r.value.begin(), r.value.end()));
    const std::vector<std::pair<int64_t, std::string>> want{{0, values[0]}, {2, values[2]}, {4, values[4]},
                                                            {5, values[0]}, {7, values[2]}, {9, values[4]}};
    EXPECT_EQ(got, want);
    auto letters = read_partition(*client, "routed.dlq");
    ASSERT_TRUE(letters.valid);
    std::vector<std::string> dead;
    for (auto& r : letters.records) dead.emplace_back(r.value.begin(), r.value.end());
    EXPECT_EQ(dead, (std::vector<std::string>{values[1], values[3], values[1], values[3]}));

    // Ten records produced in two batches; the retry is neither checked nor counted again.
    auto metrics = http_get(broker->metrics_port(), "/metrics");
    EXPECT_EQ(metric_sample(metrics, R"(strata_schema_records_validated_total{topic="routed"})"), 10) << metrics;
    EXPECT_EQ(metric_sample(metrics, R"(strata_schema_records_dead_lettered_total{topic="routed"})"), 4) << metrics;
    EXPECT_GT(metric_sample(metrics, R"(strata_schema_validation_seconds_total{topic="routed"})"), 0) << metrics;
}

} // namespace
} // namespace strata::test
