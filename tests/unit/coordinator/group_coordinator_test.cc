#include "strata/coordinator/group_coordinator.h"

#include <gtest/gtest.h>

#include "coordinator_fixture.h"
#include "strata/coordinator/consumer_protocol.h"
#include "strata/coordinator/offsets_topic.h"

namespace strata::coordinator {
namespace {

using kafka::error_code;
using namespace std::chrono_literals;

using group_coordinator_test = coordinator_fixture;

TEST_F(group_coordinator_test, members_join_and_the_leader_assigns) {
    auto a = join_now(args("", 3));
    ASSERT_EQ(a.error, error_code::none);
    EXPECT_EQ(a.generation, 1);
    EXPECT_EQ(a.leader, a.member_id);
    EXPECT_EQ(a.protocol_name, "range");
    ASSERT_EQ(a.members.size(), 1u);
    EXPECT_TRUE(a.member_id.starts_with("client-"));

    auto b = join(args("", 3));
    run(20ms);
    ASSERT_FALSE(b->has_value());
    EXPECT_EQ(groups_->find("g")->state(), classic_state::preparing_rebalance);
    auto a2 = join_now(args(a.member_id, 3));
    ASSERT_TRUE(b->has_value());
    EXPECT_EQ(a2.generation, 2);
    EXPECT_EQ((*b)->generation, 2);
    EXPECT_EQ((*b)->leader, a.member_id);
    EXPECT_EQ(a2.members.size(), 2u);  // the leader learns every subscription
    EXPECT_TRUE((*b)->members.empty());
    EXPECT_EQ(groups_->find("g")->state(), classic_state::completing_rebalance);

    // The follower waits for the leader's assignment.
    auto sb = sync((*b)->member_id, 2);
    run(20ms);
    EXPECT_FALSE(sb->has_value());
    EXPECT_EQ(groups_->validate_offset_commit("g", 2, a.member_id, std::nullopt, 9), error_code::rebalance_in_progress);
    auto sa = sync(a.member_id, 2, {{a.member_id, {1, 1}}, {(*b)->member_id, {2, 2}}});
    ASSERT_TRUE(run_until([&] { return sa->has_value() && sb->has_value(); }));
    ASSERT_TRUE(sa->has_value() && sb->has_value());
    EXPECT_EQ((*sa)->assignment, (std::vector<uint8_t>{1, 1}));
    EXPECT_EQ((*sb)->assignment, (std::vector<uint8_t>{2, 2}));
    EXPECT_EQ((*sb)->protocol_name, "range");
    EXPECT_EQ(groups_->find("g")->state(), classic_state::stable);
    EXPECT_EQ(groups_->heartbeat("g", 2, (*b)->member_id, std::nullopt), error_code::none);
    EXPECT_EQ(groups_->validate_offset_commit("g", 2, (*b)->member_id, std::nullopt, 9), error_code::none);
    // A late sync in Stable still gets the member's assignment.
    auto again = sync((*b)->member_id, 2);
    ASSERT_TRUE(run_until([&] { return again->has_value(); }));
    EXPECT_EQ((*again)->assignment, (std::vector<uint8_t>{2, 2}));
}

TEST_F(group_coordinator_test, a_new_member_needs_a_member_id_first) {
    auto first = join_now(args("", 4));
    EXPECT_EQ(first.error, error_code::member_id_required);
    ASSERT_FALSE(first.member_id.empty());
    auto second = join_now(args(first.member_id, 4));
    EXPECT_EQ(second.error, error_code::none);
    EXPECT_EQ(second.member_id, first.member_id);
    EXPECT_EQ(second.generation, 1);
}

TEST_F(group_coordinator_test, join_errors) {
    auto a = args("", 3);
    a.session_timeout_ms = 5;
    EXPECT_EQ(join_now(a).error, error_code::invalid_session_timeout);
    EXPECT_EQ(join_now(args("nobody", 3)).error, error_code::unknown_member_id);
    EXPECT_EQ(groups_->find("g"), nullptr);  // refused joins create nothing
    auto ok = join_now(args("", 3));
    auto other = args("", 3);
    other.protocols = {{"sticky", {}}};
    EXPECT_EQ(join_now(other).error, error_code::inconsistent_group_protocol);
    other = args("", 3);
    other.protocol_type = "connect";
    EXPECT_EQ(join_now(other).error, error_code::inconsistent_group_protocol);
    auto g = args("", 3);
    g.group_id = "";
    EXPECT_EQ(join_now(g).error, error_code::invalid_group_id);
    (void)ok;
}

TEST_F(group_coordinator_test, group_max_size) {
    settings_.max_size = 1;
    open_coordinator();
    auto a = join_now(args("", 3));
    EXPECT_EQ(a.error, error_code::none);
    EXPECT_EQ(join_now(args("", 3)).error, error_code::group_max_size_reached);
}

// KIP-814: a static leader that restarts keeps the group Stable; from
// JoinGroup v9 it gets the members' metadata with skip_assignment set.
TEST_F(group_coordinator_test, a_static_leader_rejoining_skips_the_assignment) {
    auto s = args("", 9);
    s.instance_id = "leader-instance";
    auto first = join_now(s);
    ASSERT_EQ(first.error, error_code::none);
    ASSERT_EQ(first.leader, first.member_id);
    auto synced = sync(first.member_id, first.generation, {{first.member_id, {5}}});
    ASSERT_TRUE(run_until([&] { return synced->has_value(); }));
    ASSERT_TRUE(synced->has_value());

    auto again = join_now(s);
    ASSERT_EQ(again.error, error_code::none);
    EXPECT_NE(again.member_id, first.member_id);
    EXPECT_EQ(again.generation, first.generation);
    EXPECT_EQ(again.leader, again.member_id);
    EXPECT_TRUE(again.skip_assignment);
    ASSERT_EQ(again.members.size(), 1u);
    EXPECT_EQ(again.members[0].instance_id, std::optional<std::string>("leader-instance"));
    EXPECT_EQ(groups_->find("g")->state(), classic_state::stable);
    auto resynced = sync(again.member_id, again.generation);
    ASSERT_TRUE(run_until([&] { return resynced->has_value(); }));
    EXPECT_EQ((*resynced)->assignment, (std::vector<uint8_t>{5}));

    // Before v9 the leader rejoins without a rebalance and without the members.
    s.version = 5;
    auto old = join_now(s);
    ASSERT_EQ(old.error, error_code::none);
    EXPECT_EQ(old.generation, first.generation);
    EXPECT_FALSE(old.skip_assignment);
    EXPECT_TRUE(old.members.empty());
    EXPECT_EQ(groups_->find("g")->state(), classic_state::stable);
}

TEST_F(group_coordinator_test, static_member_is_replaced_and_the_old_id_fenced) {
    auto leader = join_now(args("", 5));  // v5 without instance id: member id required
    leader = join_now(args(leader.member_id, 5));
    auto s = args("", 5);
    s.instance_id = "instance-1";
    auto sj = join(s);  // static members need no member-id round trip
    run(20ms);
    auto l2 = join_now(args(leader.member_id, 5));
    ASSERT_TRUE(run_until([&] { return sj->has_value(); }));
    ASSERT_EQ((*sj)->error, error_code::none);
    const auto old_id = (*sj)->member_id;
    auto ss = sync(old_id, l2.generation);
    auto sl = sync(l2.member_id, l2.generation, {{l2.member_id, {1}}, {old_id, {7}}});
    ASSERT_TRUE(run_until([&] { return ss->has_value() && sl->has_value(); }));
    ASSERT_TRUE(ss->has_value() && sl->has_value());

    // The same instance restarts: it gets a new member id without a rebalance.
    auto again = join_now(s);
    ASSERT_EQ(again.error, error_code::none);
    EXPECT_NE(again.member_id, old_id);
    EXPECT_EQ(again.generation, l2.generation);
    EXPECT_EQ(groups_->find("g")->state(), classic_state::stable);
    auto synced = sync(again.member_id, again.generation);
    ASSERT_TRUE(run_until([&] { return synced->has_value(); }));
    EXPECT_EQ((*synced)->assignment, (std::vector<uint8_t>{7}));
    // The old incarnation is fenced.
    EXPECT_EQ(groups_->heartbeat("g", l2.generation, old_id, std::string("instance-1")),
              error_code::fenced_instance_id);
    EXPECT_EQ(groups_->validate_offset_commit("g", l2.generation, old_id, std::string("instance-1"), 9),
              error_code::fenced_instance_id);
    EXPECT_EQ(groups_->heartbeat("g", l2.generation, again.member_id, std::string("instance-1")), error_code::none);
    // A static member may leave by instance id.
    auto left = groups_->leave("g", {{"", std::string("instance-1")}});
    ASSERT_EQ(left.members.size(), 1u);
    EXPECT_EQ(left.members[0], error_code::none);
    EXPECT_EQ(groups_->find("g")->members().size(), 1u);
}

TEST_F(group_coordinator_test, heartbeat_errors) {
    EXPECT_EQ(groups_->heartbeat("g", 1, "x", std::nullopt), error_code::unknown_member_id);
    auto [a, b] = stable_pair();
    const int32_t gen = groups_->find("g")->generation();
    EXPECT_EQ(groups_->heartbeat("g", gen - 1, a, std::nullopt), error_code::illegal_generation);
    EXPECT_EQ(groups_->heartbeat("g", gen, "stranger", std::nullopt), error_code::unknown_member_id);
    EXPECT_EQ(groups_->heartbeat("g", gen, a, std::nullopt), error_code::none);
}

TEST_F(group_coordinator_test, an_expired_session_triggers_a_rebalance) {
    auto [a, b] = stable_pair();
    const int32_t gen = groups_->find("g")->generation();
    for (auto& [id, m] : const_cast<classic_group*>(groups_->find("g"))->members()) m.session_timeout_ms = 100;
    EXPECT_EQ(groups_->heartbeat("g", gen, a, std::nullopt), error_code::none);
    EXPECT_EQ(groups_->heartbeat("g", gen, b, std::nullopt), error_code::none);
    for (int i = 0; i < 10; ++i) {  // only A keeps heartbeating
        run(30ms);
        groups_->heartbeat("g", gen, a, std::nullopt);
    }
    const auto* g = groups_->find("g");
    EXPECT_FALSE(g->has(b));
    EXPECT_EQ(g->state(), classic_state::preparing_rebalance);
    EXPECT_EQ(groups_->heartbeat("g", gen, a, std::nullopt), error_code::rebalance_in_progress);
    auto rejoined = join_now(args(a, 3));
    EXPECT_EQ(rejoined.generation, gen + 1);
    EXPECT_EQ(rejoined.members.size(), 1u);
}

TEST_F(group_coordinator_test, a_member_that_does_not_rejoin_is_removed_at_the_rebalance_timeout) {
    auto a = args("", 3);
    a.rebalance_timeout_ms = 100;
    auto first = join_now(a);
    auto b = args("", 3);
    b.rebalance_timeout_ms = 100;
    auto second = join(b);
    run(50ms);
    EXPECT_FALSE(second->has_value());
    // A never rejoins: once max.poll.interval.ms passes, B's join completes.
    ASSERT_TRUE(run_until([&] { return second->has_value(); }));
    EXPECT_EQ((*second)->generation, first.generation + 1);
    EXPECT_EQ((*second)->leader, (*second)->member_id);
    EXPECT_FALSE(groups_->find("g")->has(first.member_id));
}

TEST_F(group_coordinator_test, leave_triggers_a_rebalance) {
    auto [a, b] = stable_pair();
    const int32_t gen = groups_->find("g")->generation();
    auto left = groups_->leave("g", {{b, std::nullopt}, {"stranger", std::nullopt}});
    EXPECT_EQ(left.error, error_code::none);
    EXPECT_EQ(left.members, (std::vector<error_code>{error_code::none, error_code::unknown_member_id}));
    EXPECT_EQ(groups_->find("g")->state(), classic_state::preparing_rebalance);
    auto rejoined = join_now(args(a, 3));
    EXPECT_EQ(rejoined.generation, gen + 1);
    EXPECT_EQ(groups_->leave("nope", {{a, std::nullopt}}).error, error_code::unknown_member_id);
    // The last member leaving empties the group.
    groups_->leave("g", {{a, std::nullopt}});
    run(10ms);
    EXPECT_EQ(groups_->find("g")->state(), classic_state::empty);
    EXPECT_EQ(groups_->validate_offset_commit("g", -1, "", std::nullopt, 9), error_code::none);
}

TEST_F(group_coordinator_test, offset_commit_validation) {
    EXPECT_EQ(groups_->validate_offset_commit("fresh", -1, "", std::nullopt, 9), error_code::none);
    // A generation for a group that does not exist: Kafka 4's answer depends on the version.
    EXPECT_EQ(groups_->validate_offset_commit("fresh", 3, "m", std::nullopt, 9), error_code::group_id_not_found);
    EXPECT_EQ(groups_->validate_offset_commit("fresh", 3, "m", std::nullopt, 8), error_code::illegal_generation);
    auto [a, b] = stable_pair();
    const int32_t gen = groups_->find("g")->generation();
    EXPECT_EQ(groups_->validate_offset_commit("g", gen, a, std::nullopt, 9), error_code::none);
    EXPECT_EQ(groups_->validate_offset_commit("g", gen - 1, a, std::nullopt, 9), error_code::illegal_generation);
    EXPECT_EQ(groups_->validate_offset_commit("g", gen, "stranger", std::nullopt, 9), error_code::unknown_member_id);
    EXPECT_EQ(groups_->validate_offset_commit("g", -1, "", std::nullopt, 9), error_code::unknown_member_id);
}

TEST_F(group_coordinator_test, delete_needs_an_empty_group) {
    auto [a, b] = stable_pair();
    auto run_delete = [&](const std::string& g) {
        auto out = std::make_shared<std::optional<error_code>>();
        boost::asio::co_spawn(
            io_, [&, out, g]() -> boost::asio::awaitable<void> { *out = co_await groups_->delete_group(g); },
            boost::asio::detached);
        run_until([&] { return out->has_value(); });
        return out->value_or(error_code::unknown_server_error);
    };
    EXPECT_EQ(run_delete("g"), error_code::non_empty_group);
    EXPECT_EQ(run_delete("none"), error_code::group_id_not_found);
    groups_->leave("g", {{a, std::nullopt}, {b, std::nullopt}});
    run(10ms);
    EXPECT_EQ(run_delete("g"), error_code::none);
    EXPECT_EQ(groups_->find("g"), nullptr);
    open_coordinator();  // the tombstone keeps it deleted
    EXPECT_EQ(groups_->find("g"), nullptr);
}

TEST_F(group_coordinator_test, groups_survive_a_restart) {
    auto [a, b] = stable_pair();
    const int32_t gen = groups_->find("g")->generation();
    run(50ms);  // the group record is written
    open_coordinator();
    const auto* g = groups_->find("g");
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->state(), classic_state::stable);
    EXPECT_EQ(g->generation(), gen);
    EXPECT_EQ(g->protocol_name(), "range");
    EXPECT_TRUE(g->has(a) && g->has(b));
    EXPECT_TRUE(g->is_leader(a));
    // A member that comes back syncs its old assignment.
    auto s = sync(b, gen);
    ASSERT_TRUE(run_until([&] { return s->has_value(); }));
    EXPECT_EQ((*s)->assignment, (std::vector<uint8_t>{2}));
    EXPECT_TRUE(g->subscribed_to("orders"));
    EXPECT_FALSE(g->subscribed_to("payments"));
}

// In a cluster the broker that leads a group's __consumer_offsets partition
// coordinates it: losing that leadership drops the group (members waiting
// are told NOT_COORDINATOR), regaining it replays the partition.
TEST_F(group_coordinator_test, groups_follow_the_leadership_of_their_offsets_partition) {
    auto [a, b] = stable_pair();
    const int32_t gen = groups_->find("g")->generation();
    auto committed = std::make_shared<std::optional<bool>>();
    boost::asio::co_spawn(
        io_,
        [this, committed]() -> boost::asio::awaitable<void> {
            std::vector<offset_commit_entry> entries;
            entries.push_back({"orders", 0, committed_offset{42}});
            *committed = co_await offsets_->commit("g", std::move(entries), 0);
        },
        boost::asio::detached);
    ASSERT_TRUE(run_until([&] { return committed->has_value(); }));
    ASSERT_TRUE(**committed);
    auto parked = join(args(a, 3));  // the leader rejoins and waits for B
    run(20ms);
    ASSERT_FALSE(parked->has_value());

    const int32_t p = offsets_->partition_of("g");
    auto* part = topics_->find(topic_partition{std::string(offsets_topic_name), partition_id(p)});
    ASSERT_NE(part, nullptr);
    auto assignment = part->assignment();
    assignment.replicas = {1, 2};
    assignment.isr = {1, 2};
    assignment.leader = 2;
    ++assignment.leader_epoch;
    part->set_assignment(assignment, 0);
    ASSERT_TRUE(leadership_->refresh());
    ASSERT_TRUE(run_until([&] { return parked->has_value(); }));
    EXPECT_EQ((*parked)->error, error_code::not_coordinator);
    EXPECT_EQ(groups_->find("g"), nullptr);
    EXPECT_EQ(offsets_->find("g", "orders", 0), nullptr);
    EXPECT_FALSE(offsets_->loaded(p));

    assignment.leader = 1;
    ++assignment.leader_epoch;
    part->set_assignment(assignment, 0);
    ASSERT_TRUE(leadership_->refresh());
    EXPECT_TRUE(offsets_->loaded(p));
    const auto* g = groups_->find("g");
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->generation(), gen);
    EXPECT_TRUE(g->has(a) && g->has(b));
    const auto* offset = offsets_->find("g", "orders", 0);
    ASSERT_NE(offset, nullptr);
    EXPECT_EQ(offset->offset, 42);
}

TEST(consumer_protocol, subscription_topics) {
    auto topics = subscription_topics(encode_subscription({"a", "bb"}));
    ASSERT_TRUE(topics);
    EXPECT_EQ(*topics, (std::vector<std::string>{"a", "bb"}));
    std::vector<uint8_t> junk{0, 1, 0, 0, 0, 9};
    EXPECT_FALSE(subscription_topics(junk));
}

} // namespace
} // namespace strata::coordinator
