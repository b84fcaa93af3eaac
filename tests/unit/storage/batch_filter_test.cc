#include "strata/storage/batch_filter.h"

#include <string>

#include <gtest/gtest.h>

#include "strata/storage/batch_builder.h"
#include "strata/storage/batch_validator.h"
#include "strata/storage/log.h"
#include "strata/storage/record_reader.h"
#include "test_batches.h"

namespace strata::storage {
namespace {

std::vector<uint8_t> producer_batch(compression_type codec, int records, int32_t base_sequence) {
    batch_options o;
    o.compression = codec;
    o.producer_id = 7;
    o.producer_epoch = 0;
    o.base_sequence = base_sequence;
    batch_builder b(o);
    std::vector<std::string> values;
    for (int i = 0; i < records; ++i) values.push_back("value-" + std::to_string(base_sequence + i));
    for (int i = 0; i < records; ++i) b.add({std::nullopt, bytes_of(values[size_t(i)]), 1000 + i * 10, {}});
    return *b.build();
}

std::vector<uint8_t> records_section(std::span<const uint8_t> batch) {
    auto h = batch_header::decode(batch.data());
    auto d = decompress(h.compression(), batch.subspan(batch_header_size));
    EXPECT_TRUE(d);
    return *d;
}

struct record_seen {
    int32_t offset_delta;
    std::string value;
};

std::vector<record_seen> records_of(std::span<const uint8_t> batch) {
    auto h = batch_header::decode(batch.data());
    auto section = records_section(batch);
    record_reader reader(section, h.records_count);
    record_view r;
    std::vector<record_seen> out;
    while (*reader.next(r)) out.push_back({r.offset_delta, std::string(r.value.begin(), r.value.end())});
    return out;
}

class batch_filter_codecs : public ::testing::TestWithParam<compression_type> {};

TEST_P(batch_filter_codecs, keeps_chosen_records_with_their_deltas_and_the_producers_sequence_range) {
    auto original = producer_batch(GetParam(), 5, 10);
    auto filtered = filter_batch(original, records_section(original), {true, false, true, false, true});
    ASSERT_TRUE(filtered);

    validation_limits limits;
    limits.deep = true;
    limits.client_origin = false;  // gaps are legitimate, as after compaction
    auto summary = validate_batches(*filtered, limits);
    ASSERT_TRUE(summary) << to_string(summary.error());

    auto h = batch_header::decode(filtered->data());
    EXPECT_EQ(h.compression(), GetParam());
    EXPECT_EQ(h.records_count, 3);
    EXPECT_EQ(h.last_offset_delta, 4);
    EXPECT_EQ(h.base_sequence, 10);
    EXPECT_EQ(h.last_sequence(), 14);
    EXPECT_EQ(h.producer_id, 7);
    EXPECT_EQ(h.base_timestamp, 1000);
    EXPECT_EQ(h.max_timestamp, 1040);
    auto seen = records_of(*filtered);
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0].offset_delta, 0);
    EXPECT_EQ(seen[1].offset_delta, 2);
    EXPECT_EQ(seen[1].value, "value-12");
    EXPECT_EQ(seen[2].offset_delta, 4);
}

INSTANTIATE_TEST_SUITE_P(all, batch_filter_codecs,
                         ::testing::Values(compression_type::none, compression_type::gzip, compression_type::snappy,
                                           compression_type::lz4, compression_type::zstd));

TEST(batch_filter, max_timestamp_follows_the_kept_records) {
    auto original = producer_batch(compression_type::none, 3, 0);
    auto filtered = filter_batch(original, records_section(original), {true, true, false});
    ASSERT_TRUE(filtered);
    EXPECT_EQ(batch_header::decode(filtered->data()).max_timestamp, 1010);
}

TEST(batch_filter, dropping_every_record_leaves_an_empty_uncompressed_batch) {
    auto original = producer_batch(compression_type::zstd, 3, 0);
    auto filtered = filter_batch(original, records_section(original), {false, false, false});
    ASSERT_TRUE(filtered);
    auto h = batch_header::decode(filtered->data());
    EXPECT_EQ(h.records_count, 0);
    EXPECT_EQ(h.compression(), compression_type::none);
    EXPECT_EQ(h.last_offset_delta, 2);
    EXPECT_EQ(filtered->size(), batch_header_size);
    validation_limits limits;
    limits.client_origin = false;
    limits.deep = true;
    EXPECT_TRUE(validate_batches(*filtered, limits));
}

TEST(batch_filter, a_keep_list_of_the_wrong_length_is_refused) {
    auto original = producer_batch(compression_type::none, 3, 0);
    EXPECT_FALSE(filter_batch(original, records_section(original), {true, true}));
}

TEST(batch_filter, the_log_advances_offsets_and_sequences_over_dropped_records) {
    testing::temp_dir dir;
    auto opened = log::open(dir.path(), {}, true, 1000);
    ASSERT_TRUE(opened);
    auto& l = **opened;

    auto original = producer_batch(compression_type::lz4, 4, 0);
    auto filtered = *filter_batch(original, records_section(original), {false, true, false, true});
    auto check = l.check_producer(batch_header::decode(filtered.data()));
    ASSERT_TRUE(check);
    EXPECT_FALSE(check->duplicate);
    auto first = l.append(filtered, 0, 1000);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->base_offset, 0);
    EXPECT_EQ(first->last_offset, 3);
    EXPECT_EQ(l.log_end_offset(), 4);

    // A retry of the same produce is recognised before anything is written...
    auto retry = *filter_batch(original, records_section(original), {false, true, false, true});
    auto again = l.check_producer(batch_header::decode(retry.data()));
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->duplicate);
    EXPECT_EQ(again->first_offset, 0);
    EXPECT_EQ(l.log_end_offset(), 4);

    // ...and the producer's next batch follows on without a sequence error.
    auto next = producer_batch(compression_type::lz4, 2, 4);
    auto appended = l.append(next, 0, 1000);
    ASSERT_TRUE(appended) << to_string(appended.error());
    EXPECT_EQ(appended->base_offset, 4);
}

} // namespace
} // namespace strata::storage
