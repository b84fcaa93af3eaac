#include "strata/storage/producer_state.h"

#include <gtest/gtest.h>

#include "test_batches.h"

namespace strata::storage {
namespace {

using testing::batch_spec;
using testing::make_batch;

batch_header header(int64_t pid, int16_t epoch, int32_t seq, int records) {
    auto b = make_batch(batch_spec{.records = records, .producer_id = pid, .producer_epoch = epoch, .base_sequence = seq});
    return batch_header::decode(b.data());
}

// Checks and commits a batch getting offsets [first, first + records).
result<producer_state::outcome, errc> append(producer_state& ps, const batch_header& h, int64_t first) {
    auto o = ps.check_and_stage(h, first, first + h.last_offset_delta);
    if (o && !o->duplicate)
        ps.commit();
    else
        ps.discard();
    return o;
}

TEST(producer_state, sequences_must_follow_on) {
    producer_state ps;
    ASSERT_TRUE(append(ps, header(7, 0, 0, 3), 0));
    ASSERT_TRUE(append(ps, header(7, 0, 3, 2), 3));
    auto gap = append(ps, header(7, 0, 6, 1), 5);
    ASSERT_FALSE(gap);
    EXPECT_EQ(gap.error(), errc::out_of_order_sequence);
    EXPECT_TRUE(append(ps, header(7, 0, 5, 1), 5));
}

TEST(producer_state, duplicates_get_original_offsets_for_the_last_five_and_older_ones_duplicate_sequence) {
    producer_state ps;
    for (int i = 0; i < 6; ++i)
        ASSERT_TRUE(append(ps, header(7, 0, i * 2, 2), 100 + i * 2));
    // Batch 1 (seq 2..3) is among the last five; batch 0 (seq 0..1) is not.
    auto dup = append(ps, header(7, 0, 2, 2), 500);
    ASSERT_TRUE(dup);
    EXPECT_TRUE(dup->duplicate);
    EXPECT_EQ(dup->first_offset, 102);
    EXPECT_EQ(dup->last_offset, 103);
    // Older than every batch remembered: written, its offsets forgotten;
    // except sequence 0, which a client restarting its sequences would send.
    auto fresh_start = append(ps, header(7, 0, 0, 2), 500);
    ASSERT_FALSE(fresh_start);
    EXPECT_EQ(fresh_start.error(), errc::out_of_order_sequence);
    ASSERT_TRUE(append(ps, header(7, 0, 12, 2), 112));  // batch 1 (seq 2..3) leaves the five
    auto old = append(ps, header(7, 0, 2, 2), 500);
    ASSERT_FALSE(old);
    EXPECT_EQ(old.error(), errc::duplicate_sequence);
    // Overlapping the remembered ones without matching a batch: not a retry of anything written.
    auto overlap = append(ps, header(7, 0, 3, 2), 500);
    ASSERT_FALSE(overlap);
    EXPECT_EQ(overlap.error(), errc::out_of_order_sequence);
    // Past the end with a gap: out of order, as before.
    auto gap = append(ps, header(7, 0, 15, 1), 500);
    ASSERT_FALSE(gap);
    EXPECT_EQ(gap.error(), errc::out_of_order_sequence);
}

TEST(producer_state, epochs_fence_and_restart_sequences) {
    producer_state ps;
    ASSERT_TRUE(append(ps, header(7, 3, 0, 1), 0));
    auto stale = append(ps, header(7, 2, 1, 1), 1);
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error(), errc::invalid_producer_epoch);
    auto bad_start = append(ps, header(7, 4, 5, 1), 1);
    ASSERT_FALSE(bad_start);
    EXPECT_EQ(bad_start.error(), errc::out_of_order_sequence);
    ASSERT_TRUE(append(ps, header(7, 4, 0, 1), 1));
    EXPECT_EQ(ps.find(7)->epoch, 4);
}

TEST(producer_state, unknown_producer_may_start_anywhere_and_sequences_wrap) {
    producer_state ps;
    ASSERT_TRUE(append(ps, header(9, 0, INT32_MAX - 1, 2), 0));
    EXPECT_EQ(ps.find(9)->last().last_seq, INT32_MAX);
    EXPECT_TRUE(append(ps, header(9, 0, 0, 1), 2));
}

TEST(producer_state, staged_batches_see_each_other_and_discard_forgets_them) {
    producer_state ps;
    ASSERT_TRUE(ps.check_and_stage(header(7, 0, 0, 2), 0, 1));
    ASSERT_TRUE(ps.check_and_stage(header(7, 0, 2, 2), 2, 3));
    auto bad = ps.check_and_stage(header(7, 0, 9, 1), 4, 4);
    ASSERT_FALSE(bad);
    ps.discard();
    EXPECT_EQ(ps.find(7), nullptr);
}

TEST(producer_state, control_and_non_idempotent_batches_are_ignored) {
    producer_state ps;
    auto b = make_batch(batch_spec{.producer_id = 7, .producer_epoch = 0, .base_sequence = 0, .control = true});
    EXPECT_FALSE(producer_state::is_idempotent(batch_header::decode(b.data())));
    auto plain = make_batch(batch_spec{});
    EXPECT_FALSE(producer_state::is_idempotent(batch_header::decode(plain.data())));
    ps.apply(batch_header::decode(plain.data()));
    EXPECT_EQ(ps.size(), 0u);
}

} // namespace
} // namespace strata::storage
