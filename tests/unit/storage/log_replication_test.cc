// A follower's log: batches copied from the leader keep their offsets and
// leader epochs, a batch that does not continue the log or fails its CRC is
// refused, and the leader epochs (and where each began) survive a restart
// and follow truncation and retention, as OffsetForLeaderEpoch needs them.

#include <gtest/gtest.h>

#include "strata/base/crc32c.h"
#include "strata/storage/leader_epoch_cache.h"
#include "strata/storage/log.h"
#include "test_batches.h"

namespace strata::storage {
namespace {

using testing::make_batch;
using testing::temp_dir;

// Temporaries do not bind to the span append takes.
result<append_result, errc> replicate(log& l, std::vector<uint8_t> batch) { return l.append_replicated(batch, 1000); }

std::unique_ptr<log> open_log(const std::filesystem::path& dir) {
    auto l = log::open(dir, log_config{}, true, 1000);
    EXPECT_TRUE(l);
    return l ? std::move(*l) : nullptr;
}

// What the leader wrote: `records` records at `base` in `epoch` (neither
// field is covered by the CRC, as the leader patches them on append).
std::vector<uint8_t> leader_batch(int64_t base, int32_t epoch, int records) {
    auto b = make_batch({.records = records});
    be::store64(b.data() + batch_field::base_offset, uint64_t(base));
    be::store32(b.data() + batch_field::partition_leader_epoch, uint32_t(epoch));
    return b;
}

TEST(log_replication, batches_keep_the_leaders_offsets_and_epochs) {
    temp_dir d;
    auto l = open_log(d.path() / "t-0");
    auto first = leader_batch(0, 3, 4);
    ASSERT_TRUE(l->append_replicated(first, 1000));
    auto second = leader_batch(4, 5, 2);
    ASSERT_TRUE(l->append_replicated(second, 1000));
    EXPECT_EQ(l->log_end_offset(), 6);
    EXPECT_EQ(l->leader_epochs().entries(), (std::vector<epoch_entry>{{3, 0}, {5, 4}}));
    // What OffsetForLeaderEpoch answers: epoch 3 ended where 5 began; 4 is unknown, so 3's end.
    EXPECT_EQ(l->leader_epochs().end_offset_for(3, 6), std::pair(3, int64_t(4)));
    EXPECT_EQ(l->leader_epochs().end_offset_for(4, 6), std::pair(3, int64_t(4)));
    EXPECT_EQ(l->leader_epochs().end_offset_for(5, 6), std::pair(5, int64_t(6)));
    EXPECT_FALSE(l->leader_epochs().end_offset_for(2, 6));

    // Reopened: the epochs come back from leader-epoch-checkpoint.
    ASSERT_TRUE(l->close());
    l = open_log(d.path() / "t-0");
    EXPECT_EQ(l->leader_epochs().entries(), (std::vector<epoch_entry>{{3, 0}, {5, 4}}));
}

TEST(log_replication, a_batch_that_does_not_continue_the_log_or_is_corrupt_is_refused) {
    temp_dir d;
    auto l = open_log(d.path() / "t-0");
    ASSERT_TRUE(replicate(*l, leader_batch(0, 1, 3)));
    auto gap = leader_batch(5, 1, 1);
    auto r = l->append_replicated(gap, 1000);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::offset_out_of_range);
    auto corrupt = leader_batch(3, 1, 2);
    corrupt.back() ^= 0xff;
    r = l->append_replicated(corrupt, 1000);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::corrupt_message);
    EXPECT_EQ(l->log_end_offset(), 3) << "nothing of a refused append is written";
}

TEST(log_replication, truncation_and_retention_move_the_epochs) {
    temp_dir d;
    auto l = open_log(d.path() / "t-0");
    ASSERT_TRUE(replicate(*l, leader_batch(0, 1, 5)));
    ASSERT_TRUE(replicate(*l, leader_batch(5, 2, 5)));
    ASSERT_TRUE(replicate(*l, leader_batch(10, 4, 5)));
    // A new leader's log ends at 10: this follower truncates there.
    ASSERT_TRUE(l->truncate_to(10, 1000));
    EXPECT_EQ(l->leader_epochs().entries(), (std::vector<epoch_entry>{{1, 0}, {2, 5}}));
    // DeleteRecords past epoch 1's start: epoch 2 is in force from there.
    ASSERT_TRUE(l->delete_records_before(6));
    EXPECT_EQ(l->leader_epochs().entries(), (std::vector<epoch_entry>{{2, 6}}));
    // The leader appends in a newer epoch from where the log ends.
    auto b = make_batch({.records = 1});
    auto r = l->append(b, 7, 1000);
    ASSERT_TRUE(r);
    EXPECT_EQ(l->leader_epochs().entries(), (std::vector<epoch_entry>{{2, 6}, {7, 10}}));
}

TEST(log_replication, a_follower_behind_its_leaders_log_start_starts_again_there) {
    temp_dir d;
    {
        auto l = open_log(d.path() / "t-0");
        ASSERT_TRUE(replicate(*l, leader_batch(0, 1, 5)));
        // The leader's log now starts at 40 (its retention): nothing here helps.
        ASSERT_TRUE(l->restart_at(40, 1000));
        EXPECT_EQ(l->log_start_offset(), 40);
        EXPECT_EQ(l->log_end_offset(), 40);
        EXPECT_TRUE(l->leader_epochs().entries().empty());
        ASSERT_TRUE(replicate(*l, leader_batch(40, 3, 5)));
        EXPECT_EQ(l->leader_epochs().entries(), (std::vector<epoch_entry>{{3, 40}}));
        ASSERT_TRUE(l->close());
    }
    // Reopened, it starts at 40 with the leader's records.
    auto l = open_log(d.path() / "t-0");
    EXPECT_EQ(l->log_start_offset(), 40);
    EXPECT_EQ(l->log_end_offset(), 45);
    EXPECT_EQ(l->leader_epochs().entries(), (std::vector<epoch_entry>{{3, 40}}));
}

TEST(log_replication, a_log_without_a_checkpoint_starts_in_epoch_zero) {
    temp_dir d;
    {
        auto l = open_log(d.path() / "t-0");
        auto b = make_batch({.records = 2});
        ASSERT_TRUE(l->append(b, 0, 1000));
        ASSERT_TRUE(l->close());
    }
    std::filesystem::remove(d.path() / "t-0" / leader_epoch_cache::file_name);
    auto l = open_log(d.path() / "t-0");
    EXPECT_EQ(l->leader_epochs().entries(), (std::vector<epoch_entry>{{0, 0}}));
}

} // namespace
} // namespace strata::storage
