#include "strata/base/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace strata {
namespace {

enum class errc { bad = 1, worse };

result<int, errc> parse(int v) {
    if (v < 0) return fail(errc::bad);
    return v * 2;
}

TEST(result, holds_value_or_error) {
    auto ok = parse(4);
    ASSERT_TRUE(ok);
    EXPECT_EQ(*ok, 8);
    auto bad = parse(-1);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error(), errc::bad);
}

TEST(result, moves_out_move_only_values) {
    result<std::unique_ptr<std::string>, errc> r = std::make_unique<std::string>("x");
    auto p = std::move(r).value();
    EXPECT_EQ(*p, "x");
}

TEST(result, void_result) {
    result<void, errc> ok;
    EXPECT_TRUE(ok);
    result<void, errc> bad = fail(errc::worse);
    EXPECT_FALSE(bad);
    EXPECT_EQ(bad.error(), errc::worse);
}

} // namespace
} // namespace strata
