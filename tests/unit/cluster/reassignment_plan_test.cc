#include "strata/cluster/reassignment_plan.h"

#include <gtest/gtest.h>

#include "strata/cluster/topic_records.h"

namespace strata::cluster {
namespace {

std::map<int32_t, broker_endpoint> live(std::initializer_list<int32_t> ids) {
    std::map<int32_t, broker_endpoint> out;
    for (int32_t id : ids) out[id] = broker_endpoint{id, "127.0.0.1", 9092, std::nullopt, std::nullopt};
    return out;
}

// Replicas {1,2}, both in sync, 1 leading at epoch 3.
partition_assignment steady() { return {{1, 2}, {1, 2}, 1, 3, 7, {}, {}}; }

TEST(reassignment_plan, a_move_grows_the_replicas_then_completes_once_the_new_one_is_in_sync) {
    auto started = start_reassignment(steady(), {3, 1});
    EXPECT_EQ(started.replicas, (std::vector<int32_t>{3, 1, 2}));
    EXPECT_EQ(started.adding, (std::vector<int32_t>{3}));
    EXPECT_EQ(started.removing, (std::vector<int32_t>{2}));
    EXPECT_EQ(started.isr, (std::vector<int32_t>{1, 2}));
    EXPECT_EQ(original_replicas(started), (std::vector<int32_t>{1, 2}));
    EXPECT_EQ(target_replicas(started), (std::vector<int32_t>{3, 1}));
    EXPECT_FALSE(complete_reassignment(started, live({1, 2, 3}))) << "3 is not in sync yet";

    started.isr = {1, 2, 3};
    auto done = complete_reassignment(started, live({1, 2, 3}));
    ASSERT_TRUE(done);
    EXPECT_EQ(done->replicas, (std::vector<int32_t>{3, 1}));
    EXPECT_EQ(done->isr, (std::vector<int32_t>{1, 3}));
    EXPECT_FALSE(done->reassigning());
    EXPECT_EQ(done->leader, 1) << "the leader is kept while it is a target replica";
    EXPECT_EQ(done->leader_epoch, 3);
}

TEST(reassignment_plan, a_leader_that_is_moved_away_hands_over_with_a_new_epoch) {
    auto started = start_reassignment(steady(), {2, 3});
    started.isr = {1, 2, 3};
    auto done = complete_reassignment(started, live({1, 2, 3}));
    ASSERT_TRUE(done);
    EXPECT_EQ(done->replicas, (std::vector<int32_t>{2, 3}));
    EXPECT_EQ(done->leader, 2);
    EXPECT_EQ(done->leader_epoch, 4);
    EXPECT_FALSE(complete_reassignment(started, live({1}))) << "no live target replica to lead";
}

TEST(reassignment_plan, shrinking_needs_nothing_to_catch_up_and_cancelling_goes_back) {
    auto shrunk = start_reassignment(steady(), {1});
    auto done = complete_reassignment(shrunk, live({1, 2}));
    ASSERT_TRUE(done);
    EXPECT_EQ(done->replicas, (std::vector<int32_t>{1}));
    EXPECT_EQ(done->isr, (std::vector<int32_t>{1}));

    auto moving = start_reassignment(steady(), {3, 4});
    EXPECT_EQ(moving.replicas, (std::vector<int32_t>{3, 4, 1, 2}));
    auto cancelled = cancel_reassignment(moving, live({1, 2, 3, 4}));
    ASSERT_TRUE(cancelled);
    EXPECT_EQ(*cancelled, steady());
    EXPECT_FALSE(cancel_reassignment(steady(), live({1, 2}))) << "nothing to cancel";
    // A new target replaces the one under way, from the original replicas.
    auto replaced = start_reassignment(moving, {1, 3});
    EXPECT_EQ(replaced.replicas, (std::vector<int32_t>{1, 3, 2}));
    EXPECT_EQ(replaced.adding, (std::vector<int32_t>{3}));
    EXPECT_EQ(replaced.removing, (std::vector<int32_t>{2}));
}

TEST(reassignment_plan, partition_records_keep_the_replicas_being_added_and_removed) {
    auto started = start_reassignment(steady(), {3, 1});
    auto decoded = records::decode_partition(records::encode_partition(started));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(*decoded, started);
    auto plain = records::decode_partition(records::encode_partition(steady()));
    ASSERT_TRUE(plain);
    EXPECT_FALSE(plain->reassigning());
}

} // namespace
} // namespace strata::cluster
