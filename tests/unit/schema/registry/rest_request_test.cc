#include "strata/schema/rest/rest_request.h"

#include <gtest/gtest.h>

#include "strata/schema/rest/rest_reply.h"

namespace strata::schema {
namespace {

TEST(rest_request, path_segments_are_percent_decoded_and_query_parsed) {
    auto r = parse_rest_request({"DELETE", "/subjects/a%2Fb+c/versions/latest?permanent=TRUE&x=1%202", "", ""});
    ASSERT_EQ(r.path.size(), 4u);
    EXPECT_EQ(r.path[1], "a/b+c");
    EXPECT_EQ(r.segment(3), "latest");
    EXPECT_EQ(r.segment(9), "");
    EXPECT_TRUE(r.flag("permanent"));
    EXPECT_FALSE(r.flag("deleted"));
    EXPECT_EQ(r.query.at("x"), "1 2");
}

TEST(rest_request, versions_are_numbers_or_latest) {
    EXPECT_EQ(*parse_version("latest"), -1);
    EXPECT_EQ(*parse_version("-1"), -1);
    EXPECT_EQ(*parse_version("12"), 12);
    for (const char* bad : {"0", "-2", "x", "1x", ""}) {
        auto v = parse_version(bad);
        ASSERT_FALSE(v) << bad;
        EXPECT_EQ(v.error().code, registry_errc::invalid_version);
        EXPECT_EQ(v.error().http_status(), 422u);
    }
}

TEST(rest_request, error_bodies_carry_confluents_codes) {
    auto r = error_reply(registry_errc::subject_not_found, "Subject 'x' not found.");
    EXPECT_EQ(r.status, 404u);
    EXPECT_EQ(r.body, R"({"error_code":40401,"message":"Subject 'x' not found."})");
    EXPECT_EQ(error_reply(registry_errc::incompatible_schema, "no").status, 409u);
    EXPECT_EQ(error_reply(registry_errc::store_error, "disk").status, 500u);
}

} // namespace
} // namespace strata::schema
