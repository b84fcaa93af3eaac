#include "strata/app/properties.h"

#include <gtest/gtest.h>

namespace strata::app {
namespace {

TEST(properties, parses_kafka_style_files) {
    auto p = parse_properties(
        "# comment\n"
        "! also a comment\n"
        "\n"
        "listeners=PLAINTEXT://:9092\n"
        "  log.dirs = /var/data  \n"
        "num.partitions: 3\n"
        "long.value=a,\\\n"
        "    b\n"
        "empty=\n");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->at("listeners"), "PLAINTEXT://:9092");
    EXPECT_EQ(p->at("log.dirs"), "/var/data");
    EXPECT_EQ(p->at("num.partitions"), "3");
    EXPECT_EQ(p->at("long.value"), "a,b");
    EXPECT_EQ(p->at("empty"), "");
}

TEST(properties, later_keys_win) {
    auto p = parse_properties("a=1\na=2\n");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->at("a"), "2");
}

TEST(properties, a_line_without_separator_is_an_error_with_its_line_number) {
    auto p = parse_properties("a=1\n\njust-a-key\n");
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().line, 3);
}

TEST(properties, overrides_split_at_the_first_equals) {
    auto kv = parse_override("log.dirs=/a=b");
    ASSERT_TRUE(kv);
    EXPECT_EQ(kv->first, "log.dirs");
    EXPECT_EQ(kv->second, "/a=b");
    EXPECT_FALSE(parse_override("novalue"));
}

} // namespace
} // namespace strata::app
