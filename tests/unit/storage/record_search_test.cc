#include "strata/storage/record_search.h"

#include <gtest/gtest.h>

#include <string>

#include "strata/storage/batch_builder.h"

namespace strata::storage {
namespace {

std::vector<uint8_t> batch_with_times(compression_type codec, std::vector<int64_t> times, int64_t base_offset) {
    batch_options opts;
    opts.compression = codec;
    opts.base_offset = base_offset;
    batch_builder b(opts);
    static const std::string value = "v";
    for (auto t : times) b.add({std::nullopt, bytes_of(value), t, {}});
    return *b.build();
}

class record_search : public ::testing::TestWithParam<compression_type> {};

TEST_P(record_search, finds_the_first_record_at_or_after_the_time) {
    // Out-of-order timestamps, as producers may send them.
    auto b = batch_with_times(GetParam(), {100, 300, 200, 400}, 50);
    auto hit = first_record_at_or_after(b, 150);
    ASSERT_TRUE(hit);
    ASSERT_TRUE(*hit);
    EXPECT_EQ((*hit)->offset, 51);
    EXPECT_EQ((*hit)->timestamp, 300);
    hit = first_record_at_or_after(b, 400);
    ASSERT_TRUE(hit && *hit);
    EXPECT_EQ((*hit)->offset, 53);
    hit = first_record_at_or_after(b, 401);
    ASSERT_TRUE(hit);
    EXPECT_FALSE(*hit);
}

INSTANTIATE_TEST_SUITE_P(codecs, record_search,
                         ::testing::Values(compression_type::none, compression_type::gzip, compression_type::lz4,
                                           compression_type::zstd, compression_type::snappy));

TEST(record_search_errors, truncated_batch_is_corrupt) {
    auto b = batch_with_times(compression_type::none, {1, 2}, 0);
    b.resize(30);
    auto hit = first_record_at_or_after(b, 0);
    ASSERT_FALSE(hit);
    EXPECT_EQ(hit.error(), errc::corrupt_message);
}

} // namespace
} // namespace strata::storage
