#include "strata/storage/batch_builder.h"

#include <gtest/gtest.h>

#include "strata/base/crc32c.h"
#include "strata/storage/record_reader.h"

namespace strata::storage {
namespace {

// Built by kafka-python's DefaultRecordBatchBuilder (an independent
// implementation of the v2 format, CRC included): three records,
//   offset 0, ts 1700000000000, key "key-0", value "value-0", header h1="v1"
//   offset 1, ts 1699999999000, null key,    value "value-1"
//   offset 2, ts 1700000000500, key "key-2", null value,     header h2=null
const uint8_t golden_batch_plain[] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x6a,
    0x00, 0x00, 0x00, 0x00, 0x02, 0xca, 0xd9, 0x33, 0x6e, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x02, 0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00, 0x00,
    0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x69, 0xf4, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00,
    0x03, 0x30, 0x00, 0x00, 0x00, 0x0a, 0x6b, 0x65, 0x79, 0x2d, 0x30, 0x0e,
    0x76, 0x61, 0x6c, 0x75, 0x65, 0x2d, 0x30, 0x02, 0x04, 0x68, 0x31, 0x04,
    0x76, 0x31, 0x1c, 0x00, 0xcf, 0x0f, 0x02, 0x01, 0x0e, 0x76, 0x61, 0x6c,
    0x75, 0x65, 0x2d, 0x31, 0x00, 0x20, 0x00, 0xe8, 0x07, 0x04, 0x0a, 0x6b,
    0x65, 0x79, 0x2d, 0x32, 0x01, 0x02, 0x04, 0x68, 0x32, 0x01,
};



const record_header h1[] = {{bytes_of("h1"), bytes_of("v1")}};
const record_header h2[] = {{bytes_of("h2"), std::nullopt}};

void add_golden_records(batch_builder& b) {
    b.add({.key = bytes_of("key-0"), .value = bytes_of("value-0"), .timestamp = 1700000000000, .headers = h1});
    b.add({.key = std::nullopt, .value = bytes_of("value-1"), .timestamp = 1699999999000});
    b.add({.key = bytes_of("key-2"), .value = std::nullopt, .timestamp = 1700000000500, .headers = h2});
}

TEST(batch_builder, matches_an_independent_implementation_byte_for_byte) {
    batch_builder b({.partition_leader_epoch = 0}); // kafka-python writes 0 there
    add_golden_records(b);
    auto batch = b.build();
    ASSERT_TRUE(batch);
    std::vector<uint8_t> golden(std::begin(golden_batch_plain), std::end(golden_batch_plain));
    EXPECT_EQ(*batch, golden);
}

TEST(batch_builder, writes_header_fields_and_crc) {
    batch_builder b({.compression = compression_type::lz4,
                     .base_offset = 0,
                     .partition_leader_epoch = 7,
                     .producer_id = 99,
                     .producer_epoch = 4,
                     .base_sequence = 1234,
                     .transactional = true});
    add_golden_records(b);
    auto batch = b.build();
    ASSERT_TRUE(batch);
    auto h = batch_header::decode(batch->data());
    EXPECT_EQ(h.size_bytes(), batch->size());
    EXPECT_EQ(h.magic, 2);
    EXPECT_EQ(h.partition_leader_epoch, 7);
    EXPECT_EQ(h.compression(), compression_type::lz4);
    EXPECT_TRUE(h.is_transactional());
    EXPECT_FALSE(h.is_control());
    EXPECT_EQ(h.ts_type(), timestamp_type::create_time);
    EXPECT_EQ(h.records_count, 3);
    EXPECT_EQ(h.last_offset_delta, 2);
    EXPECT_EQ(h.base_timestamp, 1700000000000);
    EXPECT_EQ(h.max_timestamp, 1700000000500);
    EXPECT_EQ(h.producer_id, 99);
    EXPECT_EQ(h.producer_epoch, 4);
    EXPECT_EQ(h.base_sequence, 1234);
    EXPECT_EQ(h.crc, crc32c(std::span(*batch).subspan(batch_crc_start)));

    // The compressed records section decodes to what the plain builder writes.
    auto plain = decompress(compression_type::lz4, std::span(*batch).subspan(batch_header_size));
    ASSERT_TRUE(plain);
    std::vector<uint8_t> golden_records(std::begin(golden_batch_plain) + batch_header_size,
                                        std::end(golden_batch_plain));
    EXPECT_EQ(*plain, golden_records);
}

TEST(batch_builder, control_and_log_append_time_attributes) {
    batch_builder b({.ts_type = timestamp_type::log_append_time, .control = true});
    b.add({.key = bytes_of("k"), .value = bytes_of("v"), .timestamp = 1});
    auto batch = b.build();
    ASSERT_TRUE(batch);
    auto h = batch_header::decode(batch->data());
    EXPECT_EQ(h.attributes, 0x28);
    EXPECT_TRUE(h.is_control());
    EXPECT_EQ(h.ts_type(), timestamp_type::log_append_time);
}

TEST(batch_builder, empty_batch_is_refused_and_reset_reuses) {
    batch_builder b;
    auto empty = b.build();
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error(), errc::invalid_record);
    b.add({.key = bytes_of("a"), .value = bytes_of("b"), .timestamp = 10});
    std::vector<uint8_t> out;
    ASSERT_TRUE(b.build_append(out));
    size_t first = out.size();
    b.reset({.compression = compression_type::zstd, .base_offset = 0});
    EXPECT_EQ(b.record_count(), 0u);
    b.add({.key = bytes_of("c"), .value = bytes_of("d"), .timestamp = 20});
    ASSERT_TRUE(b.build_append(out)); // appends a second batch
    auto h1 = batch_header::decode(out.data());
    auto h2 = batch_header::decode(out.data() + first);
    EXPECT_EQ(h1.size_bytes(), first);
    EXPECT_EQ(h1.compression(), compression_type::none);
    EXPECT_EQ(h2.compression(), compression_type::zstd);
    EXPECT_EQ(h2.size_bytes(), out.size() - first);
    EXPECT_EQ(h2.base_timestamp, 20);
}

TEST(batch_builder, every_codec_round_trips_through_the_reader) {
    for (auto c : {compression_type::none, compression_type::gzip, compression_type::snappy, compression_type::lz4,
                   compression_type::zstd}) {
        batch_builder b({.compression = c});
        std::string big(100000, 'x');
        for (int i = 0; i < 50; ++i)
            b.add({.key = bytes_of(std::to_string(i)), .value = bytes_of(big), .timestamp = 1000 - i});
        auto batch = b.build();
        ASSERT_TRUE(batch);
        auto h = batch_header::decode(batch->data());
        auto records = decompress(c, std::span(*batch).subspan(batch_header_size));
        ASSERT_TRUE(records);
        record_reader r(*records, h.records_count);
        record_view rec;
        int n = 0;
        for (;;) {
            auto more = r.next(rec);
            ASSERT_TRUE(more);
            if (!*more)
                break;
            EXPECT_EQ(std::string(rec.key.begin(), rec.key.end()), std::to_string(n));
            EXPECT_EQ(rec.value.size(), big.size());
            EXPECT_EQ(rec.timestamp_delta, -n);
            ++n;
        }
        EXPECT_EQ(n, 50);
    }
}

} // namespace
} // namespace strata::storage
