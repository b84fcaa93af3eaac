#include "strata/storage/record_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "strata/storage/batch_builder.h"
#include "strata/storage/varint.h"

namespace strata::storage {
namespace {

std::string str(std::span<const uint8_t> s) { return {s.begin(), s.end()}; }

std::vector<uint8_t> encode_varint_vec(int32_t v) {
    uint8_t buf[max_varint_size];
    return {buf, buf + encode_varint(v, buf)};
}

TEST(varint, matches_kafka_zigzag_encodings) {
    EXPECT_EQ(encode_varint_vec(0), (std::vector<uint8_t>{0x00}));
    EXPECT_EQ(encode_varint_vec(-1), (std::vector<uint8_t>{0x01}));
    EXPECT_EQ(encode_varint_vec(1), (std::vector<uint8_t>{0x02}));
    EXPECT_EQ(encode_varint_vec(63), (std::vector<uint8_t>{0x7e}));
    EXPECT_EQ(encode_varint_vec(-64), (std::vector<uint8_t>{0x7f}));
    EXPECT_EQ(encode_varint_vec(64), (std::vector<uint8_t>{0x80, 0x01}));
    EXPECT_EQ(encode_varint_vec(INT32_MAX), (std::vector<uint8_t>{0xfe, 0xff, 0xff, 0xff, 0x0f}));
    EXPECT_EQ(encode_varint_vec(INT32_MIN), (std::vector<uint8_t>{0xff, 0xff, 0xff, 0xff, 0x0f}));
}

TEST(varint, round_trips_and_sizes) {
    for (int64_t v : {int64_t(0), int64_t(1), int64_t(-1), int64_t(300), int64_t(-300), int64_t(INT32_MAX),
                      int64_t(INT32_MIN), INT64_MAX, INT64_MIN, int64_t(1) << 40, -(int64_t(1) << 40)}) {
        uint8_t buf[max_varlong_size];
        size_t n = encode_varlong(v, buf);
        EXPECT_EQ(n, varlong_size(v));
        int64_t back = 0;
        EXPECT_EQ(decode_varlong({buf, n}, back), n);
        EXPECT_EQ(back, v);
        if (v >= INT32_MIN && v <= INT32_MAX) {
            n = encode_varint(int32_t(v), buf);
            EXPECT_EQ(n, varint_size(int32_t(v)));
            int32_t back32 = 0;
            EXPECT_EQ(decode_varint({buf, n}, back32), n);
            EXPECT_EQ(back32, v);
        }
    }
}

TEST(varint, rejects_truncated_and_overlong) {
    int32_t v = 0;
    const uint8_t truncated[] = {0x80, 0x80};
    EXPECT_EQ(decode_varint(truncated, v), 0u);
    EXPECT_EQ(decode_varint({}, v), 0u);
    const uint8_t six[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
    EXPECT_EQ(decode_varint(six, v), 0u);
    int64_t l = 0;
    const uint8_t eleven[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
    EXPECT_EQ(decode_varlong(eleven, l), 0u);
    EXPECT_EQ(decode_varlong(six, l), 6u); // fine as a 64-bit varint
}

// key "k", value "v", no headers: the exact bytes Kafka's DefaultRecord writes.
const std::vector<uint8_t> kv_record = {0x10, 0x00, 0x00, 0x00, 0x02, 'k', 0x02, 'v', 0x00};

TEST(record_reader, parses_a_hand_encoded_record) {
    record_reader r(kv_record, 1);
    record_view rec;
    auto more = r.next(rec);
    ASSERT_TRUE(more);
    ASSERT_TRUE(*more);
    EXPECT_EQ(str(rec.key), "k");
    EXPECT_EQ(str(rec.value), "v");
    EXPECT_FALSE(rec.key_is_null);
    EXPECT_FALSE(rec.value_is_null);
    EXPECT_EQ(rec.header_count, 0);
    EXPECT_EQ(rec.size_bytes, kv_record.size());
    auto end = r.next(rec);
    ASSERT_TRUE(end);
    EXPECT_FALSE(*end);
}

TEST(record_reader, builder_writes_the_same_bytes) {
    batch_builder b;
    b.add({.key = bytes_of("k"), .value = bytes_of("v"), .timestamp = 5});
    auto batch = b.build();
    ASSERT_TRUE(batch);
    std::vector<uint8_t> records(batch->begin() + batch_header_size, batch->end());
    EXPECT_EQ(records, kv_record);
}

TEST(record_reader, reads_builder_records_with_nulls_headers_and_negative_deltas) {
    const record_header h1[] = {{bytes_of("trace"), bytes_of("abc")}, {bytes_of("empty"), std::nullopt}};
    batch_builder b;
    b.add({.key = bytes_of("key-0"), .value = bytes_of("value-0"), .timestamp = 1000, .headers = h1});
    b.add({.key = std::nullopt, .value = bytes_of("no key"), .timestamp = 400});
    b.add({.key = bytes_of("tombstone"), .value = std::nullopt, .timestamp = 1500});
    b.add({.key = bytes_of(""), .value = bytes_of(""), .timestamp = -5});
    auto batch = b.build();
    ASSERT_TRUE(batch);
    auto h = batch_header::decode(batch->data());
    ASSERT_EQ(h.records_count, 4);
    EXPECT_EQ(h.base_timestamp, 1000);
    EXPECT_EQ(h.max_timestamp, 1500);

    record_reader r{std::span(*batch).subspan(batch_header_size), h.records_count};
    record_view rec;
    ASSERT_TRUE(*r.next(rec));
    EXPECT_EQ(rec.offset_delta, 0);
    EXPECT_EQ(rec.timestamp_delta, 0);
    EXPECT_EQ(str(rec.key), "key-0");
    EXPECT_EQ(str(rec.value), "value-0");
    ASSERT_EQ(rec.header_count, 2);
    auto it = rec.headers();
    record_header_view hv;
    ASSERT_TRUE(it.next(hv));
    EXPECT_EQ(str(hv.key), "trace");
    EXPECT_EQ(str(hv.value), "abc");
    EXPECT_FALSE(hv.value_is_null);
    ASSERT_TRUE(it.next(hv));
    EXPECT_EQ(str(hv.key), "empty");
    EXPECT_TRUE(hv.value_is_null);
    EXPECT_FALSE(it.next(hv));

    ASSERT_TRUE(*r.next(rec));
    EXPECT_EQ(rec.offset_delta, 1);
    EXPECT_EQ(rec.timestamp_delta, -600);
    EXPECT_TRUE(rec.key_is_null);
    EXPECT_EQ(str(rec.value), "no key");
    EXPECT_EQ(rec.header_count, 0);

    ASSERT_TRUE(*r.next(rec));
    EXPECT_EQ(rec.offset_delta, 2);
    EXPECT_EQ(rec.timestamp_delta, 500);
    EXPECT_EQ(str(rec.key), "tombstone");
    EXPECT_TRUE(rec.value_is_null);

    ASSERT_TRUE(*r.next(rec));
    EXPECT_EQ(rec.offset_delta, 3);
    EXPECT_EQ(rec.timestamp_delta, -1005);
    EXPECT_FALSE(rec.key_is_null); // empty is not null
    EXPECT_TRUE(rec.key.empty());
    EXPECT_FALSE(rec.value_is_null);
    EXPECT_EQ(r.remaining(), 0);

    auto end = r.next(rec);
    ASSERT_TRUE(end);
    EXPECT_FALSE(*end);
}

void expect_corrupt(std::vector<uint8_t> bytes, int32_t count) {
    record_reader r(bytes, count);
    record_view rec;
    for (int i = 0; i < count + 2; ++i) {
        auto more = r.next(rec);
        if (!more) {
            EXPECT_EQ(more.error(), errc::corrupt_message);
            return;
        }
        if (!*more)
            break;
    }
    ADD_FAILURE() << "lie accepted";
}

TEST(record_reader, lying_lengths_are_corrupt) {
    auto too_long = kv_record;
    too_long[0] = 0x12; // claims 9 bytes, 8 follow
    expect_corrupt(too_long, 1);
    auto too_short = kv_record;
    too_short[0] = 0x0e; // claims 7 bytes, fields need 8
    expect_corrupt(too_short, 1);
    auto slack = kv_record;
    slack[0] = 0x12;
    slack.push_back(0x00); // 9 bytes, fields use 8: the extra byte is a lie
    expect_corrupt(slack, 1);
    auto neg = kv_record;
    neg[0] = 0x01; // length -1
    expect_corrupt(neg, 1);
    auto key_over = kv_record;
    key_over[4] = 0x0a; // key length 5 runs past the record
    expect_corrupt(key_over, 1);
    auto key_minus_two = kv_record;
    key_minus_two[4] = 0x03; // key length -2
    expect_corrupt(key_minus_two, 1);
    expect_corrupt(std::vector<uint8_t>(kv_record.begin(), kv_record.end() - 1), 1);
}

TEST(record_reader, lying_counts_are_corrupt) {
    expect_corrupt(kv_record, 2); // fewer records than declared
    auto two = kv_record;
    two.insert(two.end(), kv_record.begin(), kv_record.end());
    expect_corrupt(two, 1); // more records than declared
    expect_corrupt(kv_record, 0);
    auto trailing = kv_record;
    trailing.push_back(0x00);
    expect_corrupt(trailing, 1);
    // An empty section with no records is fine.
    record_reader r({}, 0);
    record_view rec;
    auto end = r.next(rec);
    ASSERT_TRUE(end);
    EXPECT_FALSE(*end);
}

TEST(record_reader, bad_headers_are_corrupt) {
    // One header with a null key: Kafka rejects negative header key lengths.
    std::vector<uint8_t> null_key = {0x10, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x01, 0x01};
    expect_corrupt(null_key, 1);
    auto empty_key = null_key;
    empty_key[7] = 0x00; // the same header with an empty key is fine
    record_reader fine(empty_key, 1);
    record_view rec0;
    ASSERT_TRUE(fine.next(rec0));
    // Negative header count.
    auto neg_count = kv_record;
    neg_count[8] = 0x01;
    expect_corrupt(neg_count, 1);
    // Header count 1 but no header bytes.
    auto missing = kv_record;
    missing[8] = 0x02;
    expect_corrupt(missing, 1);
    // A well-formed header parses: key "a", null value.
    std::vector<uint8_t> good = {0x0e, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x02, 'a', 0x01};
    good[0] = 0x12; // body is 9 bytes
    record_reader r(good, 1);
    record_view rec;
    auto more = r.next(rec);
    ASSERT_TRUE(more);
    ASSERT_TRUE(*more);
    EXPECT_TRUE(rec.key_is_null);
    EXPECT_TRUE(rec.value_is_null);
    record_header_view hv;
    auto it = rec.headers();
    ASSERT_TRUE(it.next(hv));
    EXPECT_EQ(str(hv.key), "a");
    EXPECT_TRUE(hv.value_is_null);
}

TEST(record_reader, random_mutations_never_overrun) {
    const record_header hs[] = {{bytes_of("h"), bytes_of("value")}};
    batch_builder b;
    for (int i = 0; i < 20; ++i)
        b.add({.key = bytes_of("some key"), .value = bytes_of("some value bytes"), .timestamp = i * 7, .headers = hs});
    auto batch = b.build();
    ASSERT_TRUE(batch);
    std::vector<uint8_t> records(batch->begin() + batch_header_size, batch->end());
    uint32_t seed = 1;
    for (int i = 0; i < 3000; ++i) {
        auto bad = records;
        seed = seed * 1103515245 + 12345;
        bad[seed % bad.size()] = uint8_t(seed >> 16);
        record_reader r(bad, 20);
        record_view rec;
        for (;;) {
            auto more = r.next(rec);
            if (!more || !*more)
                break;
            // Views stay inside the buffer.
            EXPECT_GE(rec.value.data() + rec.value.size(), bad.data());
            EXPECT_LE(rec.value.data() + rec.value.size(), bad.data() + bad.size());
        }
    }
}

} // namespace
} // namespace strata::storage
