#include "strata/coordinator/assignor.h"

#include <gtest/gtest.h>

#include <set>

namespace strata::coordinator {
namespace {

size_t count(const topic_partitions& tp) {
    size_t n = 0;
    for (const auto& [t, ps] : tp) n += ps.size();
    return n;
}

// Every subscribed partition is assigned exactly once.
void expect_complete(const group_assignment& a, const std::map<std::string, int32_t>& partitions,
                     const std::set<std::string>& subscribed) {
    std::set<std::pair<std::string, int32_t>> seen;
    for (const auto& [member, tps] : a)
        for (const auto& [topic, ps] : tps)
            for (int32_t p : ps) EXPECT_TRUE(seen.insert({topic, p}).second) << topic << "-" << p << " twice";
    size_t expected = 0;
    for (const auto& t : subscribed) expected += size_t(partitions.at(t));
    EXPECT_EQ(seen.size(), expected);
}

TEST(uniform_assignor, balances_homogeneous_subscriptions) {
    std::vector<member_subscription> members{{"a", {"t"}, {}}, {"b", {"t"}, {}}, {"c", {"t"}, {}}};
    std::map<std::string, int32_t> partitions{{"t", 12}};
    auto a = uniform_assignor().assign(members, partitions);
    expect_complete(a, partitions, {"t"});
    for (const auto& [m, tp] : a) EXPECT_EQ(count(tp), 4u) << m;
}

TEST(uniform_assignor, is_sticky_when_a_member_joins) {
    std::map<std::string, int32_t> partitions{{"t", 12}};
    std::vector<member_subscription> two{{"a", {"t"}, {}}, {"b", {"t"}, {}}};
    auto before = uniform_assignor().assign(two, partitions);
    std::vector<member_subscription> three{
        {"a", {"t"}, before["a"]}, {"b", {"t"}, before["b"]}, {"c", {"t"}, {}}};
    auto after = uniform_assignor().assign(three, partitions);
    expect_complete(after, partitions, {"t"});
    for (const auto& [m, tp] : after) EXPECT_EQ(count(tp), 4u) << m;
    // a and b only gave partitions away: everything they keep they owned before.
    for (const char* m : {"a", "b"})
        for (int32_t p : after[m]["t"])
            EXPECT_NE(std::find(before[m]["t"].begin(), before[m]["t"].end(), p), before[m]["t"].end());
}

TEST(uniform_assignor, respects_heterogeneous_subscriptions) {
    std::vector<member_subscription> members{{"a", {"x"}, {}}, {"b", {"x", "y"}, {}}, {"c", {"y"}, {}}};
    std::map<std::string, int32_t> partitions{{"x", 4}, {"y", 4}, {"z", 9}};
    auto a = uniform_assignor().assign(members, partitions);
    expect_complete(a, partitions, {"x", "y"});
    EXPECT_FALSE(a["a"].contains("y"));
    EXPECT_FALSE(a["c"].contains("x"));
    for (const auto& [m, tp] : a) EXPECT_NEAR(double(count(tp)), 8.0 / 3, 1.0) << m;
}

TEST(uniform_assignor, a_leaving_member_s_partitions_are_spread) {
    std::map<std::string, int32_t> partitions{{"t", 9}};
    std::vector<member_subscription> three{{"a", {"t"}, {}}, {"b", {"t"}, {}}, {"c", {"t"}, {}}};
    auto before = uniform_assignor().assign(three, partitions);
    std::vector<member_subscription> two{{"a", {"t"}, before["a"]}, {"b", {"t"}, before["b"]}};
    auto after = uniform_assignor().assign(two, partitions);
    expect_complete(after, partitions, {"t"});
    EXPECT_LE(std::max(count(after["a"]), count(after["b"])) - std::min(count(after["a"]), count(after["b"])), 1u);
    for (const char* m : {"a", "b"})
        for (int32_t p : before[m]["t"])
            EXPECT_NE(std::find(after[m]["t"].begin(), after[m]["t"].end(), p), after[m]["t"].end());
}

TEST(range_assignor, contiguous_ranges_first_members_take_the_extra) {
    std::vector<member_subscription> members{{"m2", {"t", "u"}, {}}, {"m1", {"t", "u"}, {}}};
    std::map<std::string, int32_t> partitions{{"t", 5}, {"u", 5}};
    auto a = range_assignor().assign(members, partitions);
    EXPECT_EQ(a["m1"]["t"], (std::vector<int32_t>{0, 1, 2}));
    EXPECT_EQ(a["m2"]["t"], (std::vector<int32_t>{3, 4}));
    // Co-partitioned: the same member gets the same partitions of equal topics.
    EXPECT_EQ(a["m1"]["u"], a["m1"]["t"]);
}

TEST(range_assignor, more_members_than_partitions) {
    std::vector<member_subscription> members{{"a", {"t"}, {}}, {"b", {"t"}, {}}, {"c", {"t"}, {}}};
    auto a = range_assignor().assign(members, {{"t", 2}});
    EXPECT_EQ(a["a"]["t"], (std::vector<int32_t>{0}));
    EXPECT_EQ(a["b"]["t"], (std::vector<int32_t>{1}));
    EXPECT_TRUE(a["c"].empty());
}

TEST(assignors, found_by_their_protocol_names) {
    ASSERT_NE(find_assignor("uniform"), nullptr);
    ASSERT_NE(find_assignor("range"), nullptr);
    EXPECT_EQ(find_assignor("sticky"), nullptr);
}

} // namespace
} // namespace strata::coordinator
