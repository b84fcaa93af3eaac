// consumer_group_manager's OffsetCommit rules for KIP-848 members: the
// member's epoch commits, an older one only for partitions it still owns,
// anything else is STALE_MEMBER_EPOCH; unknown members are UNKNOWN_MEMBER_ID.

#include "strata/coordinator/consumer_group_manager.h"

#include <algorithm>

#include "coordinator_fixture.h"

namespace strata::coordinator {
namespace {

using kafka::error_code;

class consumer_group_manager_test : public coordinator_fixture {
protected:
    void SetUp() override {
        coordinator_fixture::SetUp();
        ASSERT_TRUE(topics_->create_topic("orders", 4, {}, 0));
        manager = std::make_unique<consumer_group_manager>(*topics_, consumer_group_settings{});
    }
    void TearDown() override {
        manager.reset();
        coordinator_fixture::TearDown();
    }

    consumer_heartbeat_result heartbeat(const std::string& member, int32_t epoch,
                                        std::optional<topic_partitions> owned = std::nullopt) {
        consumer_heartbeat hb;
        hb.member_id = member;
        hb.member_epoch = epoch;
        if (epoch == 0) {
            hb.rebalance_timeout_ms = 30000;
            hb.subscribed_topics = std::vector<std::string>{"orders"};
        }
        hb.owned = std::move(owned);
        return manager->heartbeat("g", hb, 1000);
    }
    std::optional<error_code> commit(int32_t epoch, const std::string& member, const topic_partitions& partitions,
                                     int16_t version = 9) {
        return manager->validate_offset_commit("g", epoch, member, partitions, version);
    }

    std::unique_ptr<consumer_group_manager> manager;
};

TEST_F(consumer_group_manager_test, offset_commits_follow_the_member_epoch) {
    auto a = heartbeat("a", 0);
    ASSERT_EQ(a.error, error_code::none);
    ASSERT_EQ(a.member_epoch, 1);
    ASSERT_TRUE(heartbeat("b", 0).error == error_code::none);
    // a is asked to give up half and confirms: it moves to epoch 2 with what it kept.
    auto asked = heartbeat("a", 1);
    ASSERT_TRUE(asked.assignment);
    const topic_partitions kept = *asked.assignment;
    ASSERT_EQ(kept.at("orders").size(), 2u);
    ASSERT_EQ(heartbeat("a", 1, kept).member_epoch, 2);
    topic_partitions given_away;
    for (int32_t p = 0; p < 4; ++p)
        if (std::find(kept.at("orders").begin(), kept.at("orders").end(), p) == kept.at("orders").end())
            given_away["orders"].push_back(p);

    EXPECT_EQ(commit(2, "a", kept), error_code::none);
    // Its previous epoch still commits what it owns (the commit crossed the
    // heartbeat that moved it on)...
    EXPECT_EQ(commit(1, "a", kept), error_code::none);
    // ...but not partitions it gave up: those belong to b's epoch now.
    EXPECT_EQ(commit(1, "a", given_away), error_code::stale_member_epoch);
    topic_partitions mixed = kept;
    mixed["orders"].push_back(given_away.at("orders").front());
    EXPECT_EQ(commit(1, "a", mixed), error_code::stale_member_epoch);
    // An epoch the member never had is stale too, as in Kafka.
    EXPECT_EQ(commit(7, "a", kept), error_code::stale_member_epoch);
    // Members the group does not know, and commits without a member while it has members.
    EXPECT_EQ(commit(2, "nobody", kept), error_code::unknown_member_id);
    EXPECT_EQ(commit(-1, "", kept), error_code::unknown_member_id);
    // Consumer-protocol members commit with v9+.
    EXPECT_EQ(commit(2, "a", kept, 8), error_code::unsupported_version);
    // Not a consumer-protocol group: the classic rules decide.
    EXPECT_EQ(manager->validate_offset_commit("classic", 1, "a", kept, 9), std::nullopt);

    // Once everyone left, admin tools commit without a member.
    ASSERT_EQ(heartbeat("a", -1).error, error_code::none);
    ASSERT_EQ(heartbeat("b", -1).error, error_code::none);
    EXPECT_EQ(commit(-1, "", kept), error_code::none);
    EXPECT_EQ(commit(2, "a", kept), error_code::unknown_member_id);
}

TEST_F(consumer_group_manager_test, the_sweep_fences_a_member_that_does_not_revoke_in_time) {
    consumer_heartbeat hb;
    hb.member_id = "a";
    hb.member_epoch = 0;
    hb.rebalance_timeout_ms = 2000;
    hb.subscribed_topics = std::vector<std::string>{"orders"};
    auto a = manager->heartbeat("g", hb, 1000);
    hb.member_id = "b";
    ASSERT_EQ(manager->heartbeat("g", hb, 1000).error, error_code::none);
    std::vector<std::string> rebalances;
    manager->on_rebalance([&](const std::string& g) { rebalances.push_back(g); });
    ASSERT_TRUE(heartbeat("a", 1).assignment);  // asked to revoke at t=1000

    manager->expire(3000);
    EXPECT_EQ(manager->find("g")->size(), 2u);
    manager->expire(3001);
    EXPECT_EQ(manager->find("g")->size(), 1u);
    EXPECT_EQ(rebalances, (std::vector<std::string>{"g"}));  // the fencing starts a new group epoch
    EXPECT_EQ(commit(1, "a", *a.assignment), error_code::unknown_member_id);
}

} // namespace
} // namespace strata::coordinator
