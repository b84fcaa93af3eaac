#include "strata/schema/produce_validator.h"

#include <filesystem>
#include <map>

#include <gtest/gtest.h>

#include "fake_schemas.h"
#include "strata/schema/dead_letter.h"
#include "strata/storage/batch_builder.h"
#include "strata/storage/record_batch.h"

namespace strata::schema {
namespace {

using testing::framed;

struct record_read {
    int64_t offset;
    std::string value;
    std::map<std::string, std::string> headers;
};

// Every record in the partition's log, with its offset.
std::vector<record_read> read_all(cluster::partition& p) {
    std::vector<record_read> out;
    auto slice = p.log().read(0, 1 << 20, INT64_MAX);
    EXPECT_TRUE(slice);
    std::vector<uint8_t> bytes(slice->slice.size);
    if (!bytes.empty()) EXPECT_TRUE(slice->slice.file->pread(bytes, slice->slice.position));
    storage::decompressor d;
    std::vector<uint8_t> section;
    for (size_t off = 0; off < bytes.size();) {
        auto h = storage::batch_header::decode(bytes.data() + off);
        std::span<const uint8_t> payload(bytes.data() + off + storage::batch_header_size,
                                         h.size_bytes() - storage::batch_header_size);
        EXPECT_TRUE(d.decompress(h.compression(), payload, section));
        storage::record_reader reader(section, h.records_count);
        storage::record_view r;
        while (*reader.next(r)) {
            record_read rec{h.base_offset + r.offset_delta, std::string(r.value.begin(), r.value.end()), {}};
            for (auto it = r.headers();;) {
                storage::record_header_view hv;
                if (!it.next(hv)) break;
                rec.headers[std::string(hv.key.begin(), hv.key.end())] = std::string(hv.value.begin(), hv.value.end());
            }
            out.push_back(std::move(rec));
        }
        off += h.size_bytes();
    }
    return out;
}

class produce_validator_test : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/strata-validate-XXXXXX";
        dir_ = ::mkdtemp(tmpl);
        store_ = std::move(cluster::metadata_store::open((dir_ / "__cluster_metadata").string())).value();
        logs_ = std::make_unique<storage::log_manager>(dir_, storage::log_config{});
        ASSERT_TRUE(logs_->open_all(0));
        topics_ = std::make_unique<cluster::topic_table>(*store_, *logs_, cluster::config_map{}, 1);
        validator_ = std::make_unique<produce_validator>(*topics_, metrics_);
        validator_->set_lookup(&lookup_);
        lookup_.add(3, "orders-value");
    }
    void TearDown() override {
        validator_.reset();
        topics_.reset();
        (void)logs_->close_all();
        logs_.reset();
        store_.reset();
        std::filesystem::remove_all(dir_);
    }

    cluster::topic& create(const std::string& failure) {
        auto t = topics_->create_topic("orders", 2, {{"strata.value.schema.validation", "full"},
                                                     {"strata.schema.validation.failure", failure}},
                                       0);
        EXPECT_TRUE(t);
        return **t;
    }

    // Records 0 and 3 are valid; 1 is malformed, 2 names an unknown schema, 4 has no prefix.
    std::vector<uint8_t> mixed_batch() {
        values_ = {framed(3, "ok 0"), framed(3, "bad 1"), framed(42, "ok 2"), framed(3, "ok 3"), "plain 4"};
        storage::batch_options o;
        o.compression = storage::compression_type::zstd;
        o.producer_id = 11;
        o.producer_epoch = 0;
        o.base_sequence = 0;
        storage::batch_builder b(o);
        const std::string hk = "trace", hv = "abc";
        storage::record_header h{storage::bytes_of(hk), storage::bytes_of(hv)};
        for (size_t i = 0; i < values_.size(); ++i)
            b.add({std::nullopt, storage::bytes_of(values_[i]), 5000 + int64_t(i), std::span(&h, 1)});
        return *b.build();
    }

    std::filesystem::path dir_;
    metrics::registry metrics_;
    testing::memory_lookup lookup_;
    std::unique_ptr<cluster::metadata_store> store_;
    std::unique_ptr<storage::log_manager> logs_;
    std::unique_ptr<cluster::topic_table> topics_;
    std::unique_ptr<produce_validator> validator_;
    std::vector<std::string> values_;
};

TEST_F(produce_validator_test, reject_mode_names_every_failed_record_and_appends_nothing) {
    auto& topic = create("reject");
    auto batch = mixed_batch();
    auto v = validator_->validate(topic, *topic.partitions[1], batch, true, 0);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->what, validated_batch::outcome::rejected);
    ASSERT_EQ(v->errors.size(), 3u);
    EXPECT_EQ(v->errors[0].index, 1);
    EXPECT_EQ(v->errors[1].index, 2);
    EXPECT_EQ(v->errors[2].index, 4);
    EXPECT_NE(v->message.find("3 of 5 records"), std::string::npos);
    EXPECT_EQ(topics_->find("orders.dlq"), nullptr);
}

TEST_F(produce_validator_test, dlq_mode_splits_the_batch_between_the_topic_and_its_dead_letter_topic) {
    auto& topic = create("dlq");
    auto& p = *topic.partitions[1];
    auto batch = mixed_batch();
    auto v = validator_->validate(topic, p, batch, true, 0);
    ASSERT_TRUE(v);
    ASSERT_EQ(v->what, validated_batch::outcome::routed);
    EXPECT_EQ(v->dead_lettered, 3u);
    ASSERT_TRUE(p.log().append(v->replacement, 0, 0));

    auto kept = read_all(p);
    ASSERT_EQ(kept.size(), 2u);
    EXPECT_EQ(kept[0].offset, 0);
    EXPECT_EQ(kept[0].value, values_[0]);
    EXPECT_EQ(kept[1].offset, 3);
    EXPECT_EQ(kept[1].value, values_[3]);
    EXPECT_EQ(p.log().log_end_offset(), 5);  // the producer's 5 sequence numbers are all spent

    auto* dlq = topics_->find("orders.dlq");
    ASSERT_NE(dlq, nullptr);
    EXPECT_EQ(dlq->partitions.size(), 2u);
    auto letters = read_all(*dlq->partitions[1]);
    ASSERT_EQ(letters.size(), 3u);
    EXPECT_EQ(letters[0].value, values_[1]);
    EXPECT_EQ(letters[1].value, values_[2]);
    EXPECT_EQ(letters[2].value, values_[4]);
    for (const auto& l : letters) {
        EXPECT_EQ(l.headers.at("trace"), "abc");  // the producer's headers travel along
        EXPECT_EQ(l.headers.at(std::string(dead_letter_header::source_topic)), "orders");
        EXPECT_EQ(l.headers.at(std::string(dead_letter_header::source_partition)), "1");
        EXPECT_FALSE(l.headers.at(std::string(dead_letter_header::reason)).empty());
    }
    EXPECT_EQ(letters[0].headers.at(std::string(dead_letter_header::schema_id)), "3");
    EXPECT_EQ(letters[1].headers.at(std::string(dead_letter_header::schema_id)), "42");
    EXPECT_FALSE(letters[2].headers.contains(std::string(dead_letter_header::schema_id)));
    EXPECT_TRUE(read_all(*dlq->partitions[0]).empty());
}

TEST_F(produce_validator_test, a_retried_batch_is_neither_dead_lettered_nor_counted_twice) {
    auto& topic = create("dlq");
    auto& p = *topic.partitions[0];
    auto batch = mixed_batch();
    auto first = validator_->validate(topic, p, batch, false, 0);
    ASSERT_TRUE(first);
    ASSERT_TRUE(p.log().append(first->replacement, 0, 0));

    auto retry = mixed_batch();
    auto second = validator_->validate(topic, p, retry, false, 0);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->what, validated_batch::outcome::unchanged);  // append() answers the duplicate
    auto appended = p.log().append(retry, 0, 0);
    ASSERT_TRUE(appended);
    EXPECT_TRUE(appended->duplicate);
    EXPECT_EQ(read_all(*topics_->find("orders.dlq")->partitions[0]).size(), 3u);
    auto text = metrics_.render();
    EXPECT_NE(text.find("strata_schema_records_validated_total{topic=\"orders\"} 5\n"), std::string::npos) << text;
    EXPECT_NE(text.find("strata_schema_records_dead_lettered_total{topic=\"orders\"} 3\n"), std::string::npos)
        << text;
}

TEST_F(produce_validator_test, the_dead_letter_topic_is_not_validated_whatever_the_broker_defaults_say) {
    // Broker-wide defaults that validate every topic: the dead-letter topic
    // the validator creates must not inherit them (no `orders.dlq.dlq`).
    validator_.reset();
    topics_ = std::make_unique<cluster::topic_table>(
        *store_, *logs_,
        cluster::config_map{{"strata.value.schema.validation", "full"}, {"strata.schema.validation.failure", "dlq"}}, 1);
    validator_ = std::make_unique<produce_validator>(*topics_, metrics_);
    validator_->set_lookup(&lookup_);
    auto t = topics_->create_topic("orders", 1, {}, 0);
    ASSERT_TRUE(t);
    ASSERT_TRUE((*t)->validation.enabled());
    auto batch = mixed_batch();
    auto v = validator_->validate(**t, *(*t)->partitions[0], batch, true, 0);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->what, validated_batch::outcome::routed);
    auto* dlq = topics_->find("orders.dlq");
    ASSERT_NE(dlq, nullptr);
    EXPECT_FALSE(dlq->validation.enabled());
}

TEST_F(produce_validator_test, a_batch_whose_records_all_pass_is_left_alone) {
    auto& topic = create("dlq");
    values_ = {framed(3, "ok a"), framed(3, "ok b")};
    storage::batch_builder b;
    for (auto& v : values_) b.add({std::nullopt, storage::bytes_of(v), 1, {}});
    auto batch = *b.build();
    auto v = validator_->validate(topic, *topic.partitions[0], batch, true, 0);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->what, validated_batch::outcome::unchanged);
    EXPECT_EQ(topics_->find("orders.dlq"), nullptr);
}

TEST_F(produce_validator_test, an_unusable_dead_letter_topic_turns_routing_into_rejection) {
    auto t = topics_->create_topic("orders", 1, {{"strata.value.schema.validation", "id"},
                                                 {"strata.schema.validation.failure", "dlq"},
                                                 {"strata.dlq.topic", "orders"}},
                                   0);
    ASSERT_TRUE(t);
    auto batch = mixed_batch();
    auto v = validator_->validate(**t, *(*t)->partitions[0], batch, true, 0);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->what, validated_batch::outcome::rejected);
    EXPECT_NE(v->message.find("unavailable"), std::string::npos);
}

} // namespace
} // namespace strata::schema
