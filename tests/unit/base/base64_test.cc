// Base64 as the schema registry's Protobuf clients and etcd's JSON gateway use it.
#include "strata/base/base64.h"

#include <gtest/gtest.h>

namespace strata::test {
namespace {

TEST(base64, round_trips_every_length) {
    std::string bytes;
    for (int n = 0; n < 70; ++n) {
        EXPECT_EQ(base64_decode(base64_encode(bytes)).value_or("<none>"), bytes) << n;
        bytes += static_cast<char>(n * 37);
    }
    EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
    EXPECT_FALSE(base64_decode("Zm9vYg=").has_value());
    EXPECT_FALSE(base64_decode("Zm9v!g==").has_value());
    EXPECT_FALSE(base64_decode("Zm9vYg==Zm9v").has_value());
}

} // namespace
} // namespace strata::test
