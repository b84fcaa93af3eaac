#include "strata/coordinator/offset_expiry.h"

#include <gtest/gtest.h>

#include "coordinator_fixture.h"
#include "strata/coordinator/consumer_group_manager.h"

namespace strata::coordinator {
namespace {

using kafka::error_code;
using namespace std::chrono_literals;

constexpr int64_t retention = 60'000;
constexpr int64_t day = 86'400'000;

// The clock is the `now` each pass and commit is given; only a classic
// group's "became empty" time is the wall clock's.
class offset_expiry_test : public coordinator_fixture {
protected:
    template<class T>
    T await(boost::asio::awaitable<T> work) {
        auto out = std::make_shared<std::optional<T>>();
        boost::asio::co_spawn(
            io_, [out, w = std::move(work)]() mutable -> boost::asio::awaitable<void> { *out = co_await std::move(w); },
            boost::asio::detached);
        for (int i = 0; i < 500 && !out->has_value(); ++i) run(10ms);
        EXPECT_TRUE(out->has_value());
        return out->value_or(T{});
    }
    void commit(const std::string& group, const std::string& topic, int64_t now, int64_t expire_at = -1) {
        committed_offset c{42, -1, "", -1, expire_at, -1};
        ASSERT_TRUE(await(offsets_->commit(group, {{topic, 0, c}}, now)));
    }
    expiry_pass pass(int64_t now) {
        offset_expiry expiry(*offsets_, *groups_, *consumer_groups_, retention);
        return await(expiry.run(now));
    }
    bool has(const std::string& group, const std::string& topic) { return offsets_->find(group, topic, 0) != nullptr; }
    // A restart: the offsets and groups are what __consumer_offsets says.
    void restart() {
        open_coordinator();
        run(10ms);
    }
    consumer_heartbeat_result heartbeat(const std::string& member, int32_t epoch, int64_t now) {
        consumer_heartbeat hb;
        hb.member_id = member;
        hb.member_epoch = epoch;
        if (epoch == 0) {
            hb.subscribed_topics = std::vector<std::string>{"orders"};
            hb.owned = topic_partitions{};
        }
        return consumer_groups_->heartbeat("cg", hb, now);
    }

    void SetUp() override {
        coordinator_fixture::SetUp();
        consumer_groups_ = std::make_unique<consumer_group_manager>(*topics_, consumer_group_settings{});
    }

    std::unique_ptr<consumer_group_manager> consumer_groups_;
};

TEST_F(offset_expiry_test, offsets_without_a_group_expire_from_their_commit_and_stay_gone) {
    commit("simple", "orders", 1'000);
    commit("simple", "other", 1'000 + retention);
    EXPECT_EQ(pass(1'000 + retention - 1).offsets_expired, 0u);
    auto first = pass(1'000 + retention);
    EXPECT_EQ(first.offsets_expired, 1u);
    EXPECT_FALSE(has("simple", "orders"));
    EXPECT_TRUE(has("simple", "other"));
    restart();
    EXPECT_FALSE(has("simple", "orders"));
    EXPECT_TRUE(has("simple", "other"));
    EXPECT_EQ(pass(1'000 + 2 * retention).offsets_expired, 1u);
    EXPECT_EQ(offsets_->offsets_of("simple"), nullptr);
}

TEST_F(offset_expiry_test, an_offset_with_its_own_expiry_time_expires_then) {
    commit("simple", "orders", 1'000, 5'000);
    EXPECT_EQ(pass(4'999).offsets_expired, 0u);
    restart();  // the expiry time is stored with the offset
    EXPECT_EQ(pass(5'000).offsets_expired, 1u);
}

TEST_F(offset_expiry_test, an_empty_classic_group_counts_from_when_it_became_empty_then_goes) {
    auto [a, b] = stable_pair();  // subscribed to "orders"
    const int64_t now = coordinator_now_ms();
    // Committed long ago: while the group is Stable, only topics nobody subscribes to expire.
    commit("g", "orders", now - day);
    commit("g", "other", now - day);
    EXPECT_EQ(pass(now).offsets_expired, 1u);
    EXPECT_TRUE(has("g", "orders"));
    EXPECT_FALSE(has("g", "other"));

    groups_->leave("g", {{a, std::nullopt}, {b, std::nullopt}});
    run(10ms);
    ASSERT_EQ(groups_->find("g")->state(), classic_state::empty);
    const int64_t emptied = groups_->find("g")->state_timestamp_ms();
    // The old commit does not matter: the retention counts from when the group became empty.
    auto early = pass(emptied + retention - 1);
    EXPECT_EQ(early.offsets_expired, 0u);
    EXPECT_EQ(early.groups_removed, 0u);
    auto late = pass(emptied + retention);
    EXPECT_EQ(late.offsets_expired, 1u);
    EXPECT_EQ(late.groups_removed, 1u);
    EXPECT_EQ(groups_->find("g"), nullptr);
    restart();
    EXPECT_EQ(groups_->find("g"), nullptr);
    EXPECT_EQ(offsets_->offsets_of("g"), nullptr);
}

TEST_F(offset_expiry_test, a_consumer_protocol_group_keeps_subscribed_topics_until_it_is_empty) {
    ASSERT_EQ(heartbeat("m1", 0, 0).error, error_code::none);
    commit("cg", "orders", 0);
    commit("cg", "other", 0);
    EXPECT_EQ(pass(day).offsets_expired, 1u);
    EXPECT_TRUE(has("cg", "orders"));
    ASSERT_EQ(heartbeat("m1", -1, day).error, error_code::none);
    ASSERT_NE(consumer_groups_->find("cg"), nullptr);  // empty, still there
    auto last = pass(day);
    EXPECT_EQ(last.offsets_expired, 1u);
    EXPECT_EQ(last.groups_removed, 1u);
    EXPECT_EQ(consumer_groups_->find("cg"), nullptr);
}

TEST_F(offset_expiry_test, groups_with_members_stay_and_empty_groups_without_offsets_go) {
    ASSERT_EQ(heartbeat("m1", 0, 0).error, error_code::none);
    EXPECT_EQ(pass(day).groups_removed, 0u);
    ASSERT_EQ(heartbeat("m1", -1, day).error, error_code::none);
    EXPECT_EQ(pass(day).groups_removed, 1u);
    EXPECT_EQ(consumer_groups_->find("cg"), nullptr);
}

} // namespace
} // namespace strata::coordinator
