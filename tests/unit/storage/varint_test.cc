#include "strata/storage/varint.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>

namespace strata::storage {
namespace {

TEST(varint, round_trips_around_every_length_boundary) {
    // The one- and two-byte forms have their own decoding path; the longer ones the loop.
    const std::array<int64_t, 16> values{0, 1, -1, 63, -64, 64, -65, 8191, -8192, 8192, 1048575, 1048576,
                                         INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN};
    for (int64_t v : values) {
        std::array<uint8_t, max_varlong_size> buf{};
        size_t n = encode_varlong(v, buf.data());
        int64_t back = 0;
        EXPECT_EQ(decode_varlong(std::span<const uint8_t>(buf.data(), n), back), n) << v;
        EXPECT_EQ(back, v);
        if (v >= INT32_MIN && v <= INT32_MAX) {
            n = encode_varint(int32_t(v), buf.data());
            int32_t back32 = 0;
            EXPECT_EQ(decode_varint(std::span<const uint8_t>(buf.data(), n), back32), n) << v;
            EXPECT_EQ(back32, v);
        }
    }
}

TEST(varint, truncated_and_overlong_inputs_decode_nothing) {
    int32_t v32 = 0;
    const std::array<uint8_t, 1> one_continued{0x80};
    EXPECT_EQ(decode_varint(one_continued, v32), 0u);
    const std::array<uint8_t, 2> two_continued{0x80, 0x80};
    EXPECT_EQ(decode_varint(two_continued, v32), 0u);
    EXPECT_EQ(decode_varint(std::span<const uint8_t>(), v32), 0u);
    const std::array<uint8_t, 6> six{0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
    EXPECT_EQ(decode_varint(six, v32), 0u);  // longer than 5 bytes
    int64_t v64 = 0;
    EXPECT_EQ(decode_varlong(six, v64), 6u);
}

} // namespace
} // namespace strata::storage
