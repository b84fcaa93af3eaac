#include "strata/coordinator/consumer_group.h"

#include <gtest/gtest.h>

namespace strata::coordinator {
namespace {

using kafka::error_code;

size_t count(const topic_partitions& tp) {
    size_t n = 0;
    for (const auto& [t, ps] : tp) n += ps.size();
    return n;
}

class consumer_group_test : public ::testing::Test {
protected:
    consumer_heartbeat_result join(const std::string& id, std::vector<std::string> topics = {"t"},
                                   int32_t rebalance_timeout_ms = -1) {
        consumer_heartbeat hb;
        hb.member_id = id;
        hb.member_epoch = 0;
        hb.rebalance_timeout_ms = rebalance_timeout_ms;
        hb.subscribed_topics = std::move(topics);
        return group.heartbeat(hb, partitions, now, "generated-" + id);
    }
    // A steady-state heartbeat reporting what the member owns.
    consumer_heartbeat_result beat(const std::string& id, int32_t epoch, std::optional<topic_partitions> owned) {
        consumer_heartbeat hb;
        hb.member_id = id;
        hb.member_epoch = epoch;
        hb.owned = std::move(owned);
        return group.heartbeat(hb, partitions, now, "unused");
    }

    consumer_heartbeat_result join_static(const std::string& id, const std::string& instance) {
        consumer_heartbeat hb;
        hb.member_id = id;
        hb.member_epoch = 0;
        hb.instance_id = instance;
        hb.subscribed_topics = std::vector<std::string>{"t"};
        return group.heartbeat(hb, partitions, now, "unused");
    }
    consumer_heartbeat_result leave(const std::string& id, int32_t epoch) {
        consumer_heartbeat hb;
        hb.member_id = id;
        hb.member_epoch = epoch;
        return group.heartbeat(hb, partitions, now, "unused");
    }

    consumer_group group{"g"};
    std::map<std::string, int32_t> partitions{{"t", 6}};
    int64_t now = 1000;
};

TEST_F(consumer_group_test, the_first_member_gets_every_partition) {
    auto r = join("a");
    EXPECT_EQ(r.error, error_code::none);
    EXPECT_EQ(r.member_epoch, 1);
    ASSERT_TRUE(r.assignment);
    EXPECT_EQ(count(*r.assignment), 6u);
    EXPECT_EQ(group.state(), "Stable");
    // Nothing changed: no assignment in the response.
    EXPECT_FALSE(beat("a", 1, std::nullopt).assignment);
}

TEST_F(consumer_group_test, a_joiner_gets_partitions_only_after_the_owner_revokes_them) {
    auto a1 = join("a");
    auto b1 = join("b");
    EXPECT_EQ(group.group_epoch(), 2);
    EXPECT_EQ(b1.member_epoch, 2);
    ASSERT_TRUE(b1.assignment);
    EXPECT_EQ(count(*b1.assignment), 0u);  // everything still belongs to a

    // a is asked to give up half; it keeps its epoch until it confirms.
    auto a2 = beat("a", 1, std::nullopt);
    ASSERT_TRUE(a2.assignment);
    EXPECT_EQ(count(*a2.assignment), 3u);
    EXPECT_EQ(a2.member_epoch, 1);
    EXPECT_EQ(group.state(), "Reconciling");
    // b still gets nothing: a has not released yet.
    EXPECT_FALSE(beat("b", 2, std::nullopt).assignment);

    // a confirms by reporting only what it kept; it moves to epoch 2.
    auto a3 = beat("a", 1, *a2.assignment);
    EXPECT_EQ(a3.member_epoch, 2);
    auto b2 = beat("b", 2, std::nullopt);
    ASSERT_TRUE(b2.assignment);
    EXPECT_EQ(count(*b2.assignment), 3u);
    for (const auto& [t, ps] : *b2.assignment)
        for (int32_t p : ps)
            EXPECT_EQ(std::find((*a2.assignment)[t].begin(), (*a2.assignment)[t].end(), p), (*a2.assignment)[t].end());
    EXPECT_EQ(group.state(), "Stable");
}

TEST_F(consumer_group_test, stale_epochs_and_unknown_members_are_rejected) {
    join("a");
    EXPECT_EQ(beat("a", 7, std::nullopt).error, error_code::fenced_member_epoch);
    EXPECT_EQ(beat("nobody", 1, std::nullopt).error, error_code::unknown_member_id);
}

TEST_F(consumer_group_test, a_generated_member_id_when_none_is_sent) {
    auto r = join("");
    EXPECT_EQ(r.member_id, "generated-");
    EXPECT_EQ(group.size(), 1u);
}

TEST_F(consumer_group_test, leaving_hands_partitions_to_the_rest) {
    auto a = join("a");
    join("b");
    auto a2 = beat("a", 1, std::nullopt);
    beat("a", 1, *a2.assignment);
    beat("b", 2, std::nullopt);
    consumer_heartbeat leave;
    leave.member_id = "b";
    leave.member_epoch = -1;
    EXPECT_EQ(group.heartbeat(leave, partitions, now, "x").member_epoch, -1);
    auto a3 = beat("a", 2, std::nullopt);
    ASSERT_TRUE(a3.assignment);
    EXPECT_EQ(count(*a3.assignment), 6u);
    EXPECT_EQ(a3.member_epoch, 3);
}

TEST_F(consumer_group_test, a_static_member_leaving_temporarily_keeps_its_partitions_for_its_successor) {
    auto s1 = join_static("s1", "i");
    join("d");
    auto s2 = beat("s1", 1, std::nullopt);
    beat("s1", 1, *s2.assignment);
    auto d = beat("d", 2, std::nullopt);
    ASSERT_TRUE(d.assignment);
    const topic_partitions kept = *s2.assignment;
    EXPECT_EQ(count(kept), 3u);
    ASSERT_EQ(group.state(), "Stable");
    const int32_t epoch = group.group_epoch();

    // s1 restarts: a leave with epoch -2. No rebalance; d gets nothing more.
    EXPECT_EQ(leave("s1", -2).member_epoch, -2);
    EXPECT_EQ(group.group_epoch(), epoch);
    EXPECT_EQ(group.size(), 2u);
    EXPECT_EQ(group.state(), "Stable");
    EXPECT_FALSE(beat("d", 2, std::nullopt).assignment);
    EXPECT_EQ(beat("s1", 2, std::nullopt).error, error_code::fenced_member_epoch);

    // Its successor, a new member id with the same instance id, gets the same
    // partitions at once, still without a rebalance.
    auto back = join_static("s1-restarted", "i");
    EXPECT_EQ(back.error, error_code::none);
    EXPECT_EQ(back.member_id, "s1-restarted");
    EXPECT_EQ(back.member_epoch, epoch);
    ASSERT_TRUE(back.assignment);
    EXPECT_EQ(*back.assignment, kept);
    EXPECT_EQ(group.group_epoch(), epoch);
    EXPECT_EQ(group.size(), 2u);
    EXPECT_FALSE(group.members().contains("s1"));
    EXPECT_EQ(group.state(), "Stable");
}

TEST_F(consumer_group_test, an_instance_id_still_in_use_is_unreleased) {
    join_static("s1", "i");
    EXPECT_EQ(join_static("s2", "i").error, error_code::unreleased_instance_id);
    EXPECT_EQ(group.size(), 1u);
    // A leave with -1 gives the instance id up for good: the next one starts afresh.
    EXPECT_EQ(leave("s1", -1).member_epoch, -1);
    EXPECT_TRUE(group.empty());
    EXPECT_EQ(join_static("s2", "i").error, error_code::none);
}

TEST_F(consumer_group_test, a_static_member_that_does_not_come_back_expires_with_its_session) {
    join_static("s1", "i");
    join("d");
    leave("s1", -2);
    now += 10'000;
    beat("d", 2, std::nullopt);
    EXPECT_EQ(group.expire(now, 45'000), std::vector<std::string>{});
    now += 40'000;
    beat("d", 2, std::nullopt);
    EXPECT_EQ(group.expire(now, 45'000), std::vector<std::string>{"s1"});
    // Its partitions now go to the member that stayed.
    auto d = beat("d", 2, std::nullopt);
    ASSERT_TRUE(d.assignment);
    EXPECT_EQ(count(*d.assignment), 6u);
}

// A dynamic member's -2 is an ordinary leave.
TEST_F(consumer_group_test, minus_two_from_a_member_without_instance_id_is_a_leave) {
    join("a");
    EXPECT_EQ(leave("a", -2).member_epoch, -2);
    EXPECT_TRUE(group.empty());
}

TEST_F(consumer_group_test, silent_members_expire) {
    join("a");
    now = 2000;
    join("b");
    EXPECT_EQ(group.expire(1000 + 45000 + 1, 45000), (std::vector<std::string>{"a"}));
    EXPECT_EQ(group.size(), 1u);
}

TEST_F(consumer_group_test, unsupported_assignor_and_missing_subscription) {
    consumer_heartbeat hb;
    hb.member_id = "a";
    hb.member_epoch = 0;
    hb.subscribed_topics = std::vector<std::string>{"t"};
    hb.server_assignor = "magic";
    EXPECT_EQ(group.heartbeat(hb, partitions, now, "x").error, error_code::unsupported_assignor);
    hb.server_assignor = std::nullopt;
    hb.subscribed_topics = std::nullopt;
    EXPECT_EQ(group.heartbeat(hb, partitions, now, "x").error, error_code::invalid_request);
}

TEST_F(consumer_group_test, a_topic_created_later_is_assigned) {
    auto a = join("a", {"t", "later"});
    EXPECT_EQ(count(*a.assignment), 6u);
    partitions["later"] = 2;
    auto a2 = beat("a", 1, std::nullopt);
    ASSERT_TRUE(a2.assignment);
    EXPECT_EQ(count(*a2.assignment), 8u);
    EXPECT_EQ(a2.member_epoch, 2);
}

TEST_F(consumer_group_test, a_member_that_never_confirms_its_revocation_is_fenced_at_its_rebalance_timeout) {
    auto a = join("a", {"t"}, 5000);
    join("b", {"t"}, 5000);
    auto asked = beat("a", 1, std::nullopt);
    ASSERT_TRUE(asked.assignment);
    ASSERT_EQ(count(*asked.assignment), 3u);
    const int32_t epoch = group.group_epoch();

    // a keeps heartbeating, still reporting all six partitions: that alone
    // does not keep it in the group, however often it does so.
    for (int64_t at : {2000, 4000, 5000}) {
        now = 1000 + at;
        auto r = beat("a", 1, *a.assignment);
        EXPECT_EQ(r.error, error_code::none) << "at +" << at;
        EXPECT_TRUE(group.fence_unrevoked(now).empty()) << "at +" << at;
    }
    EXPECT_FALSE(beat("b", 2, std::nullopt).assignment);  // b still waits for a

    // Past the timeout the sweep removes a and b gets everything.
    now = 1000 + 5001;
    EXPECT_EQ(group.fence_unrevoked(now), (std::vector<std::string>{"a"}));
    EXPECT_EQ(group.size(), 1u);
    EXPECT_GT(group.group_epoch(), epoch);
    EXPECT_EQ(beat("a", 1, *a.assignment).error, error_code::unknown_member_id);
    auto b = beat("b", 2, std::nullopt);
    ASSERT_TRUE(b.assignment);
    EXPECT_EQ(count(*b.assignment), 6u);
    EXPECT_EQ(b.member_epoch, group.group_epoch());
    EXPECT_EQ(group.state(), "Stable");
}

TEST_F(consumer_group_test, a_late_heartbeat_is_fenced_even_before_the_sweep) {
    auto a = join("a", {"t"}, 5000);
    join("b", {"t"}, 5000);
    ASSERT_TRUE(beat("a", 1, std::nullopt).assignment);
    now += 5001;
    // Its confirmation comes too late: the member is out, as in Kafka, and
    // rejoins as a new member.
    EXPECT_EQ(beat("a", 1, topic_partitions{{"t", {0, 1, 2}}}).error, error_code::unknown_member_id);
    EXPECT_EQ(group.size(), 1u);
    EXPECT_EQ(join("a", {"t"}, 5000).error, error_code::none);
    EXPECT_EQ(group.size(), 2u);
}

TEST_F(consumer_group_test, a_confirmed_revocation_stops_the_clock) {
    join("a", {"t"}, 5000);
    join("b", {"t"}, 5000);
    auto asked = beat("a", 1, std::nullopt);
    ASSERT_TRUE(asked.assignment);
    now += 4000;
    EXPECT_EQ(beat("a", 1, *asked.assignment).member_epoch, 2);  // confirmed in time
    now += 60000;
    EXPECT_TRUE(group.fence_unrevoked(now).empty());
    EXPECT_EQ(beat("a", 2, std::nullopt).error, error_code::none);
    EXPECT_EQ(group.size(), 2u);
}

TEST_F(consumer_group_test, without_a_rebalance_timeout_the_java_clients_default_applies) {
    auto a = join("a");
    join("b");
    ASSERT_TRUE(beat("a", 1, std::nullopt).assignment);
    now += consumer_group::default_rebalance_timeout_ms;
    EXPECT_TRUE(group.fence_unrevoked(now).empty());
    EXPECT_EQ(group.fence_unrevoked(now + 1), (std::vector<std::string>{"a"}));
}

} // namespace
} // namespace strata::coordinator
