#include "strata/kafka/protocol/reader.h"
#include "strata/kafka/protocol/writer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <limits>
#include <unistd.h>

namespace strata::kafka {
namespace {

std::vector<uint8_t> encode(auto fn) {
    writer w;
    fn(w);
    return w.buffer();
}

TEST(varint, unsigned_known_encodings) {
    EXPECT_EQ(encode([](writer& w) { w.write_uvarint(0); }), (std::vector<uint8_t>{0x00}));
    EXPECT_EQ(encode([](writer& w) { w.write_uvarint(127); }), (std::vector<uint8_t>{0x7f}));
    EXPECT_EQ(encode([](writer& w) { w.write_uvarint(128); }), (std::vector<uint8_t>{0x80, 0x01}));
    EXPECT_EQ(encode([](writer& w) { w.write_uvarint(300); }), (std::vector<uint8_t>{0xac, 0x02}));
    EXPECT_EQ(encode([](writer& w) { w.write_uvarint(0xffffffffu); }),
              (std::vector<uint8_t>{0xff, 0xff, 0xff, 0xff, 0x0f}));
}

TEST(varint, zigzag_known_encodings) {
    EXPECT_EQ(encode([](writer& w) { w.write_varint(-1); }), (std::vector<uint8_t>{0x01}));
    EXPECT_EQ(encode([](writer& w) { w.write_varint(1); }), (std::vector<uint8_t>{0x02}));
    EXPECT_EQ(encode([](writer& w) { w.write_varint(-64); }), (std::vector<uint8_t>{0x7f}));
    EXPECT_EQ(encode([](writer& w) { w.write_varlong(-1); }), (std::vector<uint8_t>{0x01}));
}

TEST(varint, round_trips_extremes) {
    for (int64_t v : {int64_t(0), int64_t(1), int64_t(-1), int64_t(std::numeric_limits<int32_t>::max()),
                      int64_t(std::numeric_limits<int32_t>::min()), std::numeric_limits<int64_t>::max(),
                      std::numeric_limits<int64_t>::min()}) {
        auto bytes = encode([&](writer& w) {
            w.write_varlong(v);
            if (v >= INT32_MIN && v <= INT32_MAX) w.write_varint(int32_t(v));
        });
        reader r(bytes);
        EXPECT_EQ(r.read_varlong(), v);
        if (v >= INT32_MIN && v <= INT32_MAX) EXPECT_EQ(r.read_varint(), v);
        EXPECT_TRUE(r.ok());
        EXPECT_EQ(r.remaining(), 0u);
    }
}

TEST(varint, overlong_varint_fails) {
    std::vector<uint8_t> bytes(6, 0xff);
    reader r(bytes);
    r.read_uvarint();
    EXPECT_FALSE(r.ok());
}

TEST(reader, big_endian_integers) {
    std::vector<uint8_t> bytes{0x12, 0x34, 0x56, 0x78, 0xff, 0xfe};
    reader r(bytes);
    EXPECT_EQ(r.read_int32(), 0x12345678);
    EXPECT_EQ(r.read_int16(), -2);
    EXPECT_TRUE(r.ok());
}

TEST(reader, reading_past_the_end_fails_and_stays_failed) {
    std::vector<uint8_t> bytes{0, 1, 2};
    reader r(bytes);
    EXPECT_EQ(r.read_int32(), 0);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.read_int8(), 0);
    EXPECT_FALSE(r.ok());
}

TEST(reader, strings_classic_and_compact) {
    auto bytes = encode([](writer& w) {
        w.write_string("kafka", false);
        w.write_string("strata", true);
        w.write_nullable_string(std::nullopt, false);
        w.write_nullable_string(std::nullopt, true);
    });
    EXPECT_EQ(bytes[0], 0);
    EXPECT_EQ(bytes[1], 5);
    EXPECT_EQ(bytes[7], 7); // compact: length + 1
    reader r(bytes);
    EXPECT_EQ(r.read_string(false), "kafka");
    EXPECT_EQ(r.read_string(true), "strata");
    EXPECT_FALSE(r.read_nullable_string(false).has_value());
    EXPECT_FALSE(r.read_nullable_string(true).has_value());
    EXPECT_TRUE(r.ok());
}

TEST(reader, null_where_not_nullable_fails) {
    auto bytes = encode([](writer& w) { w.write_int16(-1); });
    reader r(bytes);
    r.read_string(false);
    EXPECT_FALSE(r.ok());
}

TEST(reader, lying_lengths_fail_without_allocating) {
    auto bytes = encode([](writer& w) { w.write_int32(0x7fffffff); });
    reader r(bytes);
    EXPECT_EQ(r.read_array_length(false, false), 0);
    EXPECT_FALSE(r.ok());
    reader r2(bytes);
    r2.read_bytes(false);
    EXPECT_FALSE(r2.ok());
    auto neg = encode([](writer& w) { w.write_int32(-5); });
    reader r3(neg);
    r3.read_array_length(false, true);
    EXPECT_FALSE(r3.ok());
}

TEST(writer, file_regions_become_fragments_in_order) {
    char path[] = "/tmp/strata_writer_testXXXXXX";
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    std::vector<uint8_t> file_bytes{9, 8, 7, 6, 5};
    ASSERT_EQ(::write(fd, file_bytes.data(), file_bytes.size()), 5);
    writer w;
    w.write_int16(1);
    w.write_records(records::from_regions({file_region{nullptr, fd, 1, 3}}), false);
    w.write_int16(2);
    EXPECT_EQ(w.size_bytes(), 2u + 4 + 3 + 2);
    EXPECT_EQ(w.flatten(), (std::vector<uint8_t>{0, 1, 0, 0, 0, 3, 8, 7, 6, 0, 2}));
    auto msg = std::move(w).finish();
    ASSERT_EQ(msg.parts.size(), 3u);
    EXPECT_EQ(std::get<byte_run>(msg.parts[0]).size, 6u);
    EXPECT_EQ(std::get<file_region>(msg.parts[1]).size, 3u);
    EXPECT_EQ(std::get<byte_run>(msg.parts[2]).offset, 6u);
    ::close(fd);
    ::unlink(path);
}

TEST(uuid, base64_is_url_safe_without_padding) {
    uuid u;
    for (int i = 0; i < 16; ++i) u.bytes[size_t(i)] = 0xff;
    EXPECT_EQ(u.to_base64(), "_____________________w");
    auto r = uuid::random();
    EXPECT_FALSE(r.is_zero());
    EXPECT_EQ(r.bytes[6] >> 4, 4);
}

} // namespace
} // namespace strata::kafka
