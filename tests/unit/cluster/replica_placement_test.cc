// Replica placement: every broker leads its share, no broker twice in a
// partition, replicas spread over racks, and a replication factor the
// brokers cannot hold refused.

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "strata/cluster/replica_placement.h"

namespace strata::cluster::test {
namespace {

std::vector<placement_broker> brokers_on_racks(const std::vector<std::string>& racks) {
    std::vector<placement_broker> out;
    for (size_t i = 0; i < racks.size(); ++i)
        out.push_back({int32_t(i + 1), racks[i].empty() ? std::nullopt : std::optional<std::string>(racks[i])});
    return out;
}

TEST(replica_placement, leaders_are_spread_evenly_and_no_broker_holds_a_partition_twice) {
    for (uint32_t seed : {0u, 1u, 5u, 12345u}) {
        auto placed = place_replicas(brokers_on_racks({"", "", "", "", ""}), 20, 3, 0, seed);
        ASSERT_TRUE(placed);
        ASSERT_EQ(placed->size(), 20u);
        std::map<int32_t, int> leaders, replicas;
        for (const auto& r : *placed) {
            ASSERT_EQ(r.size(), 3u);
            EXPECT_EQ(std::set<int32_t>(r.begin(), r.end()).size(), 3u) << "a broker twice in one partition";
            ++leaders[r.front()];
            for (int32_t b : r) ++replicas[b];
        }
        for (int32_t b = 1; b <= 5; ++b) {
            EXPECT_EQ(leaders[b], 4) << "broker " << b << " seed " << seed;
            EXPECT_EQ(replicas[b], 12) << "broker " << b << " seed " << seed;
        }
    }
}

TEST(replica_placement, followers_of_one_leader_vary) {
    // Broker 1's partitions are not all followed by the same brokers.
    auto placed = place_replicas(brokers_on_racks({"", "", "", ""}), 16, 2, 0, 0);
    ASSERT_TRUE(placed);
    std::set<int32_t> followers_of_leader;
    for (const auto& r : *placed)
        if (r.front() == (*placed)[0].front()) followers_of_leader.insert(r[1]);
    EXPECT_GT(followers_of_leader.size(), 1u);
}

TEST(replica_placement, replicas_span_as_many_racks_as_there_are) {
    auto three_racks = place_replicas(brokers_on_racks({"a", "a", "b", "b", "c", "c"}), 12, 3, 0, 3);
    ASSERT_TRUE(three_racks);
    std::map<int32_t, std::string> rack_of{{1, "a"}, {2, "a"}, {3, "b"}, {4, "b"}, {5, "c"}, {6, "c"}};
    for (const auto& r : *three_racks) {
        std::set<std::string> racks;
        for (int32_t b : r) racks.insert(rack_of[b]);
        EXPECT_EQ(racks.size(), 3u);
    }
    // Two racks, three replicas: both racks are used, and no broker twice.
    auto two_racks = place_replicas(brokers_on_racks({"a", "a", "b", "b"}), 8, 3, 0, 1);
    ASSERT_TRUE(two_racks);
    for (const auto& r : *two_racks) {
        std::set<std::string> racks;
        for (int32_t b : r) racks.insert(b <= 2 ? "a" : "b");
        EXPECT_EQ(racks.size(), 2u);
        EXPECT_EQ(std::set<int32_t>(r.begin(), r.end()).size(), 3u);
    }
}

TEST(replica_placement, a_replication_factor_above_the_brokers_is_refused) {
    auto placed = place_replicas(brokers_on_racks({"", ""}), 1, 3, 0, 0);
    ASSERT_FALSE(placed);
    EXPECT_EQ(placed.error(), errc::invalid_replication_factor);
    EXPECT_FALSE(place_replicas(brokers_on_racks({"", ""}), 1, 0, 0, 0));
    auto single = place_replicas(brokers_on_racks({""}), 3, 1, 0, 0);
    ASSERT_TRUE(single);
    EXPECT_EQ(*single, (std::vector<std::vector<int32_t>>{{1}, {1}, {1}}));
}

TEST(replica_placement, new_partitions_continue_the_striping) {
    // Growing a topic from 3 to 6 partitions places the new ones as if the
    // six had been created at once.
    auto all = place_replicas(brokers_on_racks({"", "", ""}), 6, 2, 0, 4);
    auto grown = place_replicas(brokers_on_racks({"", "", ""}), 3, 2, 3, 4);
    ASSERT_TRUE(all && grown);
    for (size_t i = 0; i < 3; ++i) EXPECT_EQ((*grown)[i], (*all)[3 + i]);
}

} // namespace
} // namespace strata::cluster::test
