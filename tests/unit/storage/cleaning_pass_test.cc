#include "strata/storage/cleaning_pass.h"

#include <gtest/gtest.h>

#include "keyed_batches.h"
#include "test_batches.h"

namespace strata::storage {
namespace {

using testing::batches_of;
using testing::clean;
using testing::compacted_config;
using testing::keyed_batch;
using testing::kv;
using testing::records_of;
using testing::stored_record;
using testing::temp_dir;

class cleaning : public ::testing::Test {
protected:
    std::unique_ptr<log> open(log_config cfg = compacted_config(), bool clean_shutdown = true) {
        auto l = log::open(dir_, cfg, clean_shutdown, 0);
        EXPECT_TRUE(l);
        return l ? std::move(*l) : nullptr;
    }
    int64_t append(log& l, const std::vector<kv>& records, int64_t ts = 1000, batch_options opts = {}) {
        auto b = keyed_batch(records, ts, opts);
        auto r = l.append(b, 0, ts);
        EXPECT_TRUE(r) << (r ? "" : to_string(r.error()));
        return r ? r->base_offset : -1;
    }

    temp_dir tmp_;
    std::filesystem::path dir_ = tmp_.path() / "t-0";
};

TEST_F(cleaning, keeps_the_latest_value_of_each_key_at_its_original_offset) {
    auto l = open();
    for (auto [k, v] : std::vector<std::pair<std::string, std::string>>{
             {"a", "1"}, {"b", "1"}, {"a", "2"}, {"c", "1"}, {"a", "3"}, {"b", "2"}})
        append(*l, {{k, v}});
    append(*l, {{"z", "1"}});  // the active segment
    ASSERT_EQ(l->segment_count(), 7u);

    auto stats = clean(*l, 10000);
    EXPECT_EQ(stats.records_removed, 3);
    EXPECT_EQ(records_of(*l), (std::vector<stored_record>{{3, "c", "1"}, {4, "a", "3"}, {5, "b", "2"}, {6, "z", "1"}}));
    EXPECT_EQ(l->log_start_offset(), 0);
    EXPECT_EQ(l->log_end_offset(), 7);
    EXPECT_EQ(l->cleaner_offset(), 6);
    // Segments whose records all went stay, empty, at their base offsets.
    EXPECT_EQ(l->segment_count(), 7u);
    EXPECT_TRUE(l->segment_at(0).empty());
    EXPECT_EQ(l->segment_at(0).base_offset(), 0);
}

TEST_F(cleaning, merges_consecutive_segments_up_to_segment_bytes) {
    auto l = open();
    for (int i = 0; i < 8; ++i) append(*l, {{"k" + std::to_string(i % 2), "v" + std::to_string(i)}});
    append(*l, {{"z", "1"}});
    auto cfg = l->config();
    cfg.segment_bytes = 1 << 20;
    l->set_config(cfg);
    auto stats = clean(*l, 10000);
    EXPECT_EQ(stats.segments_before, 8u);
    EXPECT_EQ(stats.segments_after, 1u);
    EXPECT_LT(stats.bytes_after, stats.bytes_before);
    ASSERT_EQ(l->segment_count(), 2u);
    EXPECT_EQ(l->segment_at(1).base_offset(), 8);
    EXPECT_EQ(records_of(*l), (std::vector<stored_record>{{6, "k0", "v6"}, {7, "k1", "v7"}, {8, "z", "1"}}));
    // Only the merged segment's files are left of the eight.
    EXPECT_TRUE(std::filesystem::exists(dir_ / "00000000000000000000.log"));
    EXPECT_TRUE(std::filesystem::exists(dir_ / "00000000000000000000.index"));
    for (int i = 1; i < 8; ++i)
        EXPECT_FALSE(std::filesystem::exists(segment::file_name(dir_, i, ".log"))) << i;
    EXPECT_TRUE(testing::files_ending(dir_, ".cleaned").empty());
    EXPECT_TRUE(testing::files_ending(dir_, ".swap").empty());
}

TEST_F(cleaning, never_touches_the_active_segment) {
    auto l = open();
    append(*l, {{"a", "1"}});
    append(*l, {{"a", "2"}});  // active: not mapped, so a=1 is still the latest cleanable value
    clean(*l, 10000);
    EXPECT_EQ(records_of(*l), (std::vector<stored_record>{{0, "a", "1"}, {1, "a", "2"}}));
}

TEST_F(cleaning, tombstones_stay_for_delete_retention_ms_then_go) {
    auto cfg = compacted_config();
    cfg.delete_retention_ms = 5000;
    auto l = open(cfg);
    append(*l, {{"a", "1"}}, 1000);
    append(*l, {{"b", "1"}}, 1000);
    append(*l, {{"a", std::nullopt}}, 2000);
    append(*l, {{"z", "1"}}, 2000);

    clean(*l, 3000);  // the tombstone removes a=1 but is itself kept
    EXPECT_EQ(records_of(*l), (std::vector<stored_record>{{1, "b", "1"}, {2, "a", std::nullopt}, {3, "z", "1"}}));
    clean(*l, 7000);  // exactly delete.retention.ms old: kept
    EXPECT_EQ(records_of(*l).size(), 3u);
    auto stats = clean(*l, 7001);
    EXPECT_EQ(stats.tombstones_removed, 1);
    EXPECT_EQ(records_of(*l), (std::vector<stored_record>{{1, "b", "1"}, {3, "z", "1"}}));
}

TEST_F(cleaning, records_without_a_key_are_dropped_as_kafka_does) {
    auto l = open();
    append(*l, {{std::nullopt, "orphan"}, {"a", "1"}});
    append(*l, {{"z", "1"}});
    clean(*l, 10000);
    EXPECT_EQ(records_of(*l), (std::vector<stored_record>{{1, "a", "1"}, {2, "z", "1"}}));
}

TEST_F(cleaning, untouched_batches_are_copied_byte_for_byte_and_others_rebuilt_with_a_valid_crc) {
    auto l = open();
    append(*l, {{"a", "1"}, {"b", "1"}});
    append(*l, {{"c", "1"}});
    append(*l, {{"a", "2"}});
    append(*l, {{"z", "1"}});
    auto before = batches_of(*l);
    ASSERT_EQ(before.size(), 4u);
    clean(*l, 10000);
    auto after = batches_of(*l);  // validates every CRC and record
    ASSERT_EQ(after.size(), 4u);
    auto h = batch_header::decode(after[0].data());
    EXPECT_EQ(h.base_offset, 0);
    EXPECT_EQ(h.last_offset_delta, 1);  // still spans offsets 0..1
    EXPECT_EQ(h.records_count, 1);
    EXPECT_LT(after[0].size(), before[0].size());
    EXPECT_EQ(after[1], before[1]);
    EXPECT_EQ(after[2], before[2]);
    EXPECT_EQ(after[3], before[3]);
    EXPECT_EQ(records_of(*l),
              (std::vector<stored_record>{{1, "b", "1"}, {2, "c", "1"}, {3, "a", "2"}, {4, "z", "1"}}));
}

class cleaning_codecs : public cleaning, public ::testing::WithParamInterface<compression_type> {};

TEST_P(cleaning_codecs, a_compressed_batch_is_rewritten_in_its_codec) {
    auto l = open();
    const std::string pad(200, 'x');
    batch_options opts;
    opts.compression = GetParam();
    append(*l, {{"a", "a1" + pad}, {"b", "b1" + pad}, {"c", "c1" + pad}}, 1000, opts);
    append(*l, {{"b", "b2"}});
    append(*l, {{"z", "1"}});
    clean(*l, 10000);
    auto after = batches_of(*l);
    ASSERT_EQ(after.size(), 3u);
    auto h = batch_header::decode(after[0].data());
    EXPECT_EQ(h.compression(), GetParam());
    EXPECT_EQ(h.records_count, 2);
    EXPECT_EQ(h.last_offset_delta, 2);
    EXPECT_EQ(records_of(*l), (std::vector<stored_record>{
                                  {0, "a", "a1" + pad}, {2, "c", "c1" + pad}, {3, "b", "b2"}, {4, "z", "1"}}));
}

INSTANTIATE_TEST_SUITE_P(all, cleaning_codecs,
                         ::testing::Values(compression_type::gzip, compression_type::snappy, compression_type::lz4,
                                           compression_type::zstd));

TEST_F(cleaning, a_producers_last_batch_stays_as_an_empty_batch_so_a_restart_knows_its_sequence) {
    auto l = open();
    auto idempotent = [](int64_t pid, int32_t seq) {
        batch_options o;
        o.producer_id = pid;
        o.producer_epoch = 0;
        o.base_sequence = seq;
        return o;
    };
    append(*l, {{"a", "1"}}, 1000, idempotent(7, 0));  // producer 7's last batch
    append(*l, {{"b", "1"}}, 1000, idempotent(8, 0));  // superseded by producer 8's next
    append(*l, {{"b", "2"}}, 1000, idempotent(8, 1));
    append(*l, {{"a", "2"}});
    append(*l, {{"z", "1"}});
    auto stats = clean(*l, 10000);
    EXPECT_EQ(stats.empty_batches_kept, 1);
    auto after = batches_of(*l);
    ASSERT_EQ(after.size(), 4u);
    auto empty = batch_header::decode(after[0].data());
    EXPECT_EQ(empty.records_count, 0);
    EXPECT_EQ(empty.base_offset, 0);
    EXPECT_EQ(empty.producer_id, 7);
    EXPECT_EQ(empty.base_sequence, 0);
    EXPECT_EQ(batch_header::decode(after[1].data()).base_offset, 2);  // producer 8's first batch is gone

    // Without snapshots a restart replays the log: producer 7 must continue at sequence 1.
    ASSERT_TRUE(l->close());
    l.reset();
    for (const auto& p : testing::files_ending(dir_, ".snapshot")) std::filesystem::remove(p);
    l = open();
    auto next = [&](int64_t pid, int32_t seq) {
        return l->check_producer(batch_header::decode(keyed_batch({{"x", "y"}}, 1000, idempotent(pid, seq)).data()));
    };
    EXPECT_TRUE(next(7, 1));
    auto gap = next(7, 3);
    ASSERT_FALSE(gap);
    EXPECT_EQ(gap.error(), errc::out_of_order_sequence);
    EXPECT_TRUE(next(8, 2));
}

TEST_F(cleaning, a_log_is_due_by_dirty_ratio_or_max_compaction_lag_and_remembers_its_cleaner_offset) {
    auto l = open();
    for (int i = 0; i < 3; ++i) append(*l, {{"a", std::to_string(i)}});
    append(*l, {{"z", "1"}});
    auto s = cleaning_pass::assess(*l, 10000);
    EXPECT_EQ(s.first_dirty, 0);
    EXPECT_EQ(s.end, 3);
    EXPECT_EQ(s.clean_bytes, 0u);
    EXPECT_GT(s.dirty_bytes, 0u);
    EXPECT_TRUE(s.due(l->config()));
    clean(*l, 10000);
    EXPECT_FALSE(cleaning_pass::assess(*l, 10000).due(l->config()));
    ASSERT_TRUE(l->close());
    l = open();
    EXPECT_EQ(l->cleaner_offset(), 3);

    append(*l, {{"b", "1"}}, 20000);  // rolls the segment holding z
    s = cleaning_pass::assess(*l, 30000);
    EXPECT_EQ(s.first_dirty, 3);
    EXPECT_GT(s.clean_bytes, 0u);
    auto cfg = l->config();
    cfg.min_cleanable_dirty_ratio = 0.99;
    l->set_config(cfg);
    EXPECT_FALSE(s.due(l->config()));
    cfg.max_compaction_lag_ms = 1000;
    l->set_config(cfg);
    s = cleaning_pass::assess(*l, 30000);
    EXPECT_TRUE(s.max_lag_exceeded);
    EXPECT_TRUE(s.due(l->config()));
    // min.compaction.lag.ms: a segment younger than that ends the cleanable part.
    cfg.min_compaction_lag_ms = 29500;
    l->set_config(cfg);
    s = cleaning_pass::assess(*l, 30000);
    EXPECT_EQ(s.end, 3);
    EXPECT_EQ(s.dirty_bytes, 0u);
    EXPECT_FALSE(s.due(l->config()));
}

TEST_F(cleaning, a_full_key_map_cleans_part_of_the_log_and_later_passes_the_rest) {
    auto l = open();
    append(*l, {{"a", "1"}});
    append(*l, {{"a", "2"}});
    append(*l, {{"b", "1"}});
    append(*l, {{"b", "2"}});
    append(*l, {{"z", "1"}});
    // One byte of map: every pass maps a single batch.
    clean(*l, 10000, 1);
    EXPECT_EQ(l->cleaner_offset(), 1);
    EXPECT_EQ(records_of(*l).size(), 5u);
    int passes = 1;
    while (cleaning_pass::assess(*l, 10000).due(l->config()) && passes < 10) {
        clean(*l, 10000, 1);
        ++passes;
    }
    EXPECT_EQ(passes, 4);
    EXPECT_EQ(records_of(*l), (std::vector<stored_record>{{1, "a", "2"}, {3, "b", "2"}, {4, "z", "1"}}));
}

TEST_F(cleaning, past_the_mapped_range_even_an_expired_tombstone_stays) {
    auto cfg = compacted_config(1 << 20);
    cfg.segment_ms = 1000;
    auto l = open(cfg);
    append(*l, {{"a", "1"}}, 1000);  // one segment of three batches...
    append(*l, {{"a", "2"}}, 1001);
    append(*l, {{"a", std::nullopt}}, 1002);
    append(*l, {{"z", "1"}}, 5000);  // ...closed by segment.ms
    ASSERT_EQ(l->segment_count(), 2u);
    // The map holds a@0 only; the tombstone (long expired) lies past the mapped
    // range, so dropping it would bring a@1 back to life.
    clean(*l, 100000, 1);
    EXPECT_EQ(records_of(*l),
              (std::vector<stored_record>{{0, "a", "1"}, {1, "a", "2"}, {2, "a", std::nullopt}, {3, "z", "1"}}));
    while (cleaning_pass::assess(*l, 100000).due(l->config())) clean(*l, 100000, 1);
    EXPECT_EQ(records_of(*l), (std::vector<stored_record>{{3, "z", "1"}}));
}

TEST_F(cleaning, a_pass_stops_and_deletes_its_output_when_retention_or_the_policy_changes_the_log) {
    auto cfg = compacted_config();
    cfg.cleanup_delete = true;
    auto l = open(cfg);
    for (int i = 0; i < 6; ++i) append(*l, {{"a", std::string(100, char('0' + i))}}, 1000 * (i + 1));
    append(*l, {{"z", "1"}}, 10000);
    auto run_until_output = [&](cleaning_pass& p) {
        for (int i = 0; i < 100 && testing::files_ending(dir_, ".cleaned").empty(); ++i) {
            auto st = p.step(10000, 1);
            ASSERT_TRUE(st);
            ASSERT_EQ(*st, cleaning_pass::state::working);
        }
        ASSERT_FALSE(testing::files_ending(dir_, ".cleaned").empty());
    };
    {
        cleaning_pass p(*l, 10000, 1 << 20);
        run_until_output(p);
        cfg.retention_ms = 2500;
        l->set_config(cfg);
        auto deleted = l->apply_retention(5000);
        ASSERT_TRUE(deleted);
        ASSERT_GT(*deleted, 0u);
        auto st = p.step(10000, 1 << 20);
        ASSERT_TRUE(st);
        EXPECT_EQ(*st, cleaning_pass::state::abandoned);
        EXPECT_TRUE(testing::files_ending(dir_, ".cleaned").empty());
    }
    {
        cleaning_pass p(*l, 10000, 1 << 20);
        run_until_output(p);
        cfg.cleanup_compact = false;
        l->set_config(cfg);
        auto st = p.step(10000, 1 << 20);
        ASSERT_TRUE(st);
        EXPECT_EQ(*st, cleaning_pass::state::abandoned);
        EXPECT_TRUE(testing::files_ending(dir_, ".cleaned").empty());
    }
    EXPECT_EQ(l->cleaner_offset(), -1);
}

} // namespace
} // namespace strata::storage
