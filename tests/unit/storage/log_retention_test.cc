#include "strata/storage/log.h"

#include <gtest/gtest.h>

#include "test_batches.h"

namespace strata::storage {
namespace {

using testing::batch_spec;
using testing::make_batch;
using testing::temp_dir;

const size_t batch_size = make_batch({.value_size = 100}).size();

class log_retention : public ::testing::Test {
protected:
    // One batch (one record) per segment: segment i holds offset i with timestamp 1000 * (i + 1).
    std::unique_ptr<log> make(int batches, log_config cfg = {}) {
        cfg.segment_bytes = batch_size;
        auto l = log::open(dir_, cfg, true, 0);
        EXPECT_TRUE(l);
        for (int i = 0; i < batches; ++i) {
            auto b = make_batch({.base_timestamp = 1000 * (i + 1), .value_size = 100});
            EXPECT_TRUE((*l)->append(b, 0, 1000 * (i + 1)));
        }
        return std::move(*l);
    }
    bool has_segment(int64_t base) const {
        return std::filesystem::exists(dir_ / fmt::format("{:020d}.log", base));
    }

    temp_dir tmp_;
    std::filesystem::path dir_ = tmp_.path() / "t-0";
};

TEST_F(log_retention, by_time_deletes_old_segments_by_max_timestamp) {
    auto l = make(5, {.retention_ms = 2500});
    ASSERT_EQ(l->segment_count(), 5u);
    // At 5000: segments with max timestamp 1000 and 2000 are older than 2500 ms.
    auto deleted = l->apply_retention(5000);
    ASSERT_TRUE(deleted);
    EXPECT_EQ(*deleted, 2 * batch_size);
    EXPECT_EQ(l->segment_count(), 3u);
    EXPECT_EQ(l->log_start_offset(), 2);
    EXPECT_FALSE(has_segment(0));
    EXPECT_FALSE(has_segment(1));
    EXPECT_FALSE(std::filesystem::exists(dir_ / "00000000000000000001.index"));
    EXPECT_TRUE(has_segment(2));
    auto gone = l->read(1, 1 << 20, INT64_MAX);
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error(), errc::offset_out_of_range);
    EXPECT_TRUE(l->read(2, 1 << 20, INT64_MAX));
}

TEST_F(log_retention, never_deletes_the_active_segment) {
    auto l = make(3, {.retention_ms = 1});
    auto deleted = l->apply_retention(1000000);
    ASSERT_TRUE(deleted);
    EXPECT_EQ(l->segment_count(), 1u);
    EXPECT_EQ(l->log_start_offset(), 2);
    EXPECT_EQ(l->log_end_offset(), 3);
}

TEST_F(log_retention, unlimited_time_keeps_everything) {
    auto l = make(3, {.retention_ms = -1});
    ASSERT_TRUE(l->apply_retention(INT64_MAX / 2));
    EXPECT_EQ(l->segment_count(), 3u);
}

TEST_F(log_retention, by_size_deletes_oldest_until_within_limit) {
    auto l = make(6, {.retention_ms = -1, .retention_bytes = int64_t(batch_size * 3 + 10)});
    // As Kafka: delete the oldest segment only while what remains is still
    // at least retention.bytes.
    auto deleted = l->apply_retention(0);
    ASSERT_TRUE(deleted);
    EXPECT_EQ(*deleted, 2 * batch_size);
    EXPECT_EQ(l->segment_count(), 4u);
    EXPECT_EQ(l->log_start_offset(), 2);
    auto cfg = l->config();
    cfg.retention_bytes = int64_t(batch_size * 3);
    l->set_config(cfg);
    deleted = l->apply_retention(0);
    ASSERT_TRUE(deleted);
    EXPECT_EQ(*deleted, batch_size);
    EXPECT_EQ(l->size_bytes(), batch_size * 3);
    EXPECT_EQ(l->log_start_offset(), 3);
}

TEST_F(log_retention, start_offset_survives_restart) {
    {
        auto l = make(5, {.retention_ms = 2500});
        ASSERT_TRUE(l->apply_retention(5000));
        ASSERT_TRUE(l->delete_records_before(3));
        ASSERT_TRUE(l->close());
    }
    EXPECT_TRUE(std::filesystem::exists(dir_ / log::start_offset_file));
    auto l = log::open(dir_, {}, true, 0);
    ASSERT_TRUE(l);
    EXPECT_EQ((*l)->log_start_offset(), 3);
    EXPECT_EQ((*l)->log_end_offset(), 5);
    auto below = (*l)->read(2, 1 << 20, INT64_MAX);
    ASSERT_FALSE(below);
}

TEST_F(log_retention, a_compact_only_log_keeps_segments_past_retention_ms_and_bytes) {
    log_config cfg{.retention_ms = 2500, .retention_bytes = 0};
    cfg.cleanup_delete = false;
    cfg.cleanup_compact = true;
    auto l = make(5, cfg);
    auto deleted = l->apply_retention(1000000);
    ASSERT_TRUE(deleted);
    EXPECT_EQ(*deleted, 0u);
    EXPECT_EQ(l->segment_count(), 5u);
    EXPECT_EQ(l->log_start_offset(), 0);
    // The log start offset still drops whole segments below it.
    ASSERT_TRUE(l->delete_records_before(2));
    EXPECT_EQ(l->segment_count(), 3u);
}

TEST_F(log_retention, compact_and_delete_obeys_retention_too) {
    log_config cfg{.retention_ms = 2500};
    cfg.cleanup_compact = true;
    auto l = make(5, cfg);
    auto deleted = l->apply_retention(5000);
    ASSERT_TRUE(deleted);
    EXPECT_EQ(*deleted, 2 * batch_size);
    EXPECT_EQ(l->log_start_offset(), 2);
    // And switching a log to compact at runtime stops retention at the next check.
    cfg.cleanup_delete = false;
    l->set_config(cfg);
    ASSERT_TRUE(l->apply_retention(1000000));
    EXPECT_EQ(l->segment_count(), 3u);
}

TEST_F(log_retention, delete_records_moves_start_and_drops_whole_segments) {
    auto l = make(5);
    auto r = l->delete_records_before(3);
    ASSERT_TRUE(r);
    EXPECT_EQ(*r, 3);
    EXPECT_EQ(l->log_start_offset(), 3);
    EXPECT_EQ(l->segment_count(), 2u);
    EXPECT_FALSE(has_segment(2));
    // Never backwards; never past the log end.
    ASSERT_TRUE(l->delete_records_before(1));
    EXPECT_EQ(l->log_start_offset(), 3);
    auto past = l->delete_records_before(6);
    ASSERT_FALSE(past);
    EXPECT_EQ(past.error(), errc::offset_out_of_range);
    // Up to the log end: the active segment stays, empty of readable offsets.
    ASSERT_TRUE(l->delete_records_before(5));
    EXPECT_EQ(l->segment_count(), 1u);
    auto at_end = l->read(5, 1 << 20, INT64_MAX);
    ASSERT_TRUE(at_end);
    EXPECT_EQ(at_end->slice.size, 0u);
}

TEST_F(log_retention, delete_records_inside_a_segment_keeps_it) {
    temp_dir d;
    auto l = log::open(d.path() / "t-0", {}, true, 0);
    ASSERT_TRUE(l);
    auto b = make_batch({.records = 10});
    ASSERT_TRUE((*l)->append(b, 0, 0));
    ASSERT_TRUE((*l)->delete_records_before(4));
    EXPECT_EQ((*l)->segment_count(), 1u);
    auto rr = (*l)->read(4, 1 << 20, INT64_MAX);
    ASSERT_TRUE(rr);
    EXPECT_EQ(rr->slice.size, b.size()); // the batch containing offset 4
    EXPECT_FALSE((*l)->read(3, 1 << 20, INT64_MAX));
}

TEST_F(log_retention, truncate_to_removes_the_tail_and_appends_continue) {
    auto l = make(5);
    ASSERT_TRUE(l->truncate_to(3, 10000));
    EXPECT_EQ(l->log_end_offset(), 3);
    EXPECT_EQ(l->segment_count(), 3u);
    EXPECT_FALSE(has_segment(3));
    EXPECT_FALSE(has_segment(4));
    auto b = make_batch({.records = 2});
    auto r = l->append(b, 1, 10000);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->base_offset, 3);
    EXPECT_EQ(l->max_timestamp_offset()->timestamp, 3000);
}

TEST_F(log_retention, truncate_inside_a_segment_cuts_whole_batches) {
    temp_dir d;
    auto l = log::open(d.path() / "t-0", {.index_interval_bytes = 100}, true, 0);
    ASSERT_TRUE(l);
    for (int i = 0; i < 10; ++i) {
        auto b = make_batch({.records = 2, .producer_id = 9, .producer_epoch = 0, .base_sequence = 2 * i});
        ASSERT_TRUE((*l)->append(b, 0, 0));
    }
    ASSERT_TRUE((*l)->truncate_to(10, 0));
    EXPECT_EQ((*l)->log_end_offset(), 10);
    EXPECT_EQ((*l)->segment_at(0).size(), 5 * make_batch({.records = 2}).size());
    // Producer state forgot the truncated batches: sequence 10 follows on, 20 does not.
    auto gap = make_batch({.records = 1, .producer_id = 9, .producer_epoch = 0, .base_sequence = 20});
    auto g = (*l)->append(gap, 0, 0);
    ASSERT_FALSE(g);
    EXPECT_EQ(g.error(), errc::out_of_order_sequence);
    auto next = make_batch({.records = 1, .producer_id = 9, .producer_epoch = 0, .base_sequence = 10});
    auto n = (*l)->append(next, 0, 0);
    ASSERT_TRUE(n);
    EXPECT_FALSE(n->duplicate);
    EXPECT_EQ(n->base_offset, 10);
    auto rr = (*l)->read(9, 1 << 20, INT64_MAX);
    ASSERT_TRUE(rr);
    // The batch holding 8..9, then the new one at 10.
    EXPECT_EQ(rr->slice.size, make_batch({.records = 2}).size() + make_batch({.records = 1}).size());
}

TEST_F(log_retention, truncate_below_the_first_segment_starts_afresh) {
    auto l = make(3);
    ASSERT_TRUE(l->delete_records_before(1));
    ASSERT_TRUE(l->truncate_to(0, 0));
    EXPECT_EQ(l->log_end_offset(), 0);
    EXPECT_EQ(l->log_start_offset(), 0);
    EXPECT_EQ(l->segment_count(), 1u);
    EXPECT_EQ(l->size_bytes(), 0u);
}

} // namespace
} // namespace strata::storage
