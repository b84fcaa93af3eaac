#include "strata/base/crc32c.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string_view>
#include <vector>

namespace strata {
namespace {

std::span<const uint8_t> bytes(std::string_view s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

TEST(crc32c, matches_the_standard_check_value) {
    // The CRC-32C check value from the Castagnoli catalogue.
    EXPECT_EQ(crc32c(bytes("123456789")), 0xE3069283u);
}

TEST(crc32c, empty_input_is_zero) { EXPECT_EQ(crc32c({}), 0u); }

TEST(crc32c, rfc3720_vectors) {
    std::vector<uint8_t> zeros(32, 0), ones(32, 0xff), inc(32);
    for (int i = 0; i < 32; ++i) inc[i] = uint8_t(i);
    EXPECT_EQ(crc32c(zeros), 0x8A9136AAu);
    EXPECT_EQ(crc32c(ones), 0x62A8AB43u);
    EXPECT_EQ(crc32c(inc), 0x46DD794Eu);
}

TEST(crc32c, incremental_equals_one_shot) {
    std::vector<uint8_t> data(1000);
    for (size_t i = 0; i < data.size(); ++i) data[i] = uint8_t(i * 7 + 3);
    auto whole = crc32c(data);
    for (size_t split : {0, 1, 7, 8, 9, 500, 999, 1000}) {
        auto part = crc32c(std::span(data).first(split));
        EXPECT_EQ(crc32c(std::span(data).subspan(split), part), whole) << split;
    }
}

TEST(crc32c, long_inputs_equal_the_byte_at_a_time_chain) {
    // Inputs of several hundred bytes and more take the striped path; small
    // pieces take the serial one, so the two must agree on every length.
    std::vector<uint8_t> data(20000);
    uint32_t x = 12345;
    for (auto& b : data) b = uint8_t((x = x * 1103515245u + 12345u) >> 16);
    for (size_t len : {767, 768, 769, 1024, 1536, 2311, 16384, 20000}) {
        auto span = std::span(data).first(len);
        uint32_t chained = 0;
        for (size_t at = 0; at < len; at += 5) chained = crc32c(span.subspan(at, std::min<size_t>(5, len - at)), chained);
        EXPECT_EQ(crc32c(span), chained) << len;
    }
}

} // namespace
} // namespace strata
