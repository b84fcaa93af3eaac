// A leader's view of its followers: the high watermark is what every
// in-sync replica has and never moves back, a follower under steady load
// counts as caught up when it has what the leader had at its previous
// fetch (Kafka's rule), a new leadership gives followers a fresh lag
// allowance, a follower's high watermark never passes its own log end, and a
// restarted replica starts from its checkpointed high watermark.

#include <gtest/gtest.h>

#include "../storage/test_batches.h"
#include "strata/cluster/partition.h"

namespace strata::cluster {
namespace {

using storage::testing::make_batch;
using storage::testing::temp_dir;

class partition_replication : public ::testing::Test {
protected:
    void SetUp() override {
        auto opened = storage::log::open(dir_.path() / "t-0", storage::log_config{}, true, 0);
        ASSERT_TRUE(opened);
        log_ = std::move(*opened);
    }
    void append(int records) {
        auto b = make_batch({.records = records});
        ASSERT_TRUE(log_->append(b, 1, 0));
    }
    // Broker 1 leading replicas {1, 2, 3} with the given ISR.
    partition_assignment leading(std::vector<int32_t> isr, int32_t epoch = 1) { return {{1, 2, 3}, isr, 1, epoch, 0}; }

    temp_dir dir_;
    std::unique_ptr<storage::log> log_;
};

TEST_F(partition_replication, the_high_watermark_is_what_every_in_sync_replica_has) {
    partition p({"t", partition_id(0)}, log_.get(), leading({1, 2, 3}), 1, 1000);
    append(10);
    p.notify_append();
    EXPECT_EQ(p.high_watermark(), 0) << "followers have fetched nothing yet";
    EXPECT_FALSE(p.record_follower_fetch(2, 10, 1100)) << "3 has nothing";
    EXPECT_TRUE(p.record_follower_fetch(3, 4, 1100));
    EXPECT_EQ(p.high_watermark(), 4);
    EXPECT_TRUE(p.record_follower_fetch(3, 10, 1200));
    EXPECT_EQ(p.high_watermark(), 10);
    // 3 leaves the ISR: 2 alone decides, and the high watermark never moves back.
    p.set_assignment(leading({1, 2}), 1300);
    append(5);
    p.notify_append();
    EXPECT_EQ(p.high_watermark(), 10);
    EXPECT_TRUE(p.record_follower_fetch(2, 15, 1400));
    EXPECT_EQ(p.high_watermark(), 15);
    // Alone in its ISR, the leader commits what it appends.
    p.set_assignment(leading({1}), 1500);
    append(1);
    p.notify_append();
    EXPECT_EQ(p.high_watermark(), 16);
}

TEST_F(partition_replication, a_follower_that_keeps_up_under_load_stays_caught_up) {
    partition p({"t", partition_id(0)}, log_.get(), leading({1, 2, 3}), 1, 1000);
    EXPECT_EQ(p.followers().at(2).caught_up_ms, 1000) << "a new leadership starts every lag clock now";
    append(10);
    p.record_follower_fetch(2, 0, 2000);  // behind: the leader had 10
    EXPECT_EQ(p.followers().at(2).caught_up_ms, 1000);
    append(10);
    p.record_follower_fetch(2, 10, 3000);  // has what the leader had at 2000, not all of it now
    EXPECT_EQ(p.followers().at(2).caught_up_ms, 2000);
    p.record_follower_fetch(2, 20, 4000);  // has everything
    EXPECT_EQ(p.followers().at(2).caught_up_ms, 4000);
    // A new leader epoch: the progress known of the old one does not count.
    p.set_assignment(leading({1, 2, 3}, 2), 9000);
    EXPECT_EQ(p.followers().at(2).log_end, -1);
    EXPECT_EQ(p.followers().at(2).caught_up_ms, 9000);
}

TEST_F(partition_replication, a_followers_high_watermark_never_passes_its_log_end) {
    partition p({"t", partition_id(0)}, log_.get(), {{2, 1}, {2, 1}, 2, 1, 0}, 1, 1000);
    EXPECT_TRUE(p.is_follower());
    append(3);
    append(2);
    p.set_follower_high_watermark(50);
    EXPECT_EQ(p.high_watermark(), 5);
    ASSERT_TRUE(log_->truncate_to(3, 0));
    p.clamp_high_watermark();
    EXPECT_EQ(p.high_watermark(), 3);
}

// A restarted broker does not take up the leadership its previous run held:
// only a newer leader epoch (a re-election) makes it lead again.
TEST_F(partition_replication, a_fenced_leadership_counts_again_only_from_a_newer_epoch) {
    partition p({"t", partition_id(0)}, log_.get(), leading({1, 2, 3}, 4), 1, 1000);
    ASSERT_TRUE(p.is_leader());
    p.fence_leadership();
    EXPECT_FALSE(p.is_leader());
    EXPECT_FALSE(p.is_follower());
    EXPECT_TRUE(p.fenced());
    p.set_assignment(leading({1, 2, 3}, 4), 1000);
    EXPECT_FALSE(p.is_leader()) << "the same epoch again";
    p.set_assignment(leading({1}, 5), 1000);
    EXPECT_TRUE(p.is_leader());
    EXPECT_FALSE(p.fenced());
}

TEST_F(partition_replication, a_restarted_replica_starts_from_its_checkpointed_high_watermark) {
    append(10);
    // A leader whose followers have not fetched yet keeps what was committed before.
    partition leader({"t", partition_id(0)}, log_.get(), leading({1, 2, 3}), 1, 1000, 8);
    EXPECT_EQ(leader.high_watermark(), 8);
    EXPECT_FALSE(leader.record_follower_fetch(2, 10, 1100));
    EXPECT_FALSE(leader.record_follower_fetch(3, 5, 1100)) << "the high watermark never moves back";
    EXPECT_EQ(leader.high_watermark(), 8);
    EXPECT_TRUE(leader.record_follower_fetch(3, 10, 1200));
    EXPECT_EQ(leader.high_watermark(), 10);
    // A follower's checkpoint beyond its log (records lost in a crash) stops at the log end.
    partition follower({"t", partition_id(0)}, log_.get(), {{2, 1, 3}, {2, 1, 3}, 2, 1, 0}, 1, 1000, 25);
    EXPECT_EQ(follower.high_watermark(), 10);
    // Without a checkpoint a replica starts at 0 and waits for its followers or leader.
    partition fresh({"t", partition_id(0)}, log_.get(), leading({1, 2, 3}), 1, 1000);
    EXPECT_EQ(fresh.high_watermark(), 0);
}

} // namespace
} // namespace strata::cluster
