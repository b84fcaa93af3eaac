// What compaction means for the rest of the log: reads at offsets that were
// removed, in-flight reads of replaced files, and recovery from a crash at
// any point of a swap.
#include <gtest/gtest.h>

#include "keyed_batches.h"
#include "test_batches.h"

namespace strata::storage {
namespace {

using testing::clean;
using testing::compacted_config;
using testing::files_ending;
using testing::keyed_batch;
using testing::kv;
using testing::records_of;
using testing::stored_record;
using testing::temp_dir;

namespace fs = std::filesystem;

class log_compaction : public ::testing::Test {
protected:
    std::unique_ptr<log> open(const fs::path& dir, bool clean_shutdown = true, log_config cfg = compacted_config()) {
        auto l = log::open(dir, cfg, clean_shutdown, 0);
        EXPECT_TRUE(l);
        return l ? std::move(*l) : nullptr;
    }
    void append(log& l, const std::vector<kv>& records, int64_t ts = 1000) {
        auto b = keyed_batch(records, ts);
        ASSERT_TRUE(l.append(b, 0, ts));
    }
    // Four closed segments (a=1, b=1, a=2, c=1 at offsets 0..3) and the active one (z at 4).
    std::unique_ptr<log> four_segments(const fs::path& dir) {
        auto l = open(dir);
        append(*l, {{"a", "1"}}, 1000);
        append(*l, {{"b", "1"}}, 2000);
        append(*l, {{"a", "2"}}, 3000);
        append(*l, {{"c", "1"}}, 4000);
        append(*l, {{"z", "1"}}, 5000);
        return l;
    }
    // The first batch a read from `offset` returns.
    int64_t first_batch_read_from(log& l, int64_t offset) {
        auto rr = l.read(offset, 1 << 20, INT64_MAX);
        EXPECT_TRUE(rr);
        if (!rr || rr->slice.size < batch_header_size) return -1;
        uint8_t header[batch_header_size];
        EXPECT_TRUE(rr->slice.file->pread(header, rr->slice.position));
        return batch_header::decode(header).base_offset;
    }
    static std::vector<stored_record> cleaned_contents() {
        return {{1, "b", "1"}, {2, "a", "2"}, {3, "c", "1"}, {4, "z", "1"}};
    }

    temp_dir tmp_;
    fs::path dir_ = tmp_.path() / "t-0";
};

TEST_F(log_compaction, reads_at_removed_offsets_return_the_next_batch) {
    auto l = open(dir_);
    append(*l, {{"a", "1"}});              // 0: removed, its segment left empty
    append(*l, {{"x", "1"}, {"b", "1"}});  // 1-2: b removed, x kept
    append(*l, {{"b", "2"}});              // 3
    append(*l, {{"a", "2"}});              // 4
    append(*l, {{"z", "1"}});              // 5, active
    clean(*l, 10000);
    ASSERT_TRUE(l->segment_at(0).empty());
    // Offset 0 is in a segment that became empty: the next segment's batch comes back.
    EXPECT_EQ(first_batch_read_from(*l, 0), 1);
    // Offset 2 was removed from inside a batch that still spans it: that batch comes back.
    EXPECT_EQ(first_batch_read_from(*l, 2), 1);
    EXPECT_EQ(first_batch_read_from(*l, 3), 3);
    // ListOffsets by time also lands on a record that is still there.
    auto by_time = l->find_offset_by_timestamp(0);
    ASSERT_TRUE(by_time);
    EXPECT_EQ(by_time->offset, 1);

    // With the segments merged, offsets in a gap between the batches of one segment.
    append(*l, {{"x", "2"}});  // 6: x@1 superseded
    append(*l, {{"q", "1"}});  // 7, active
    auto cfg = l->config();
    cfg.segment_bytes = 1 << 20;
    l->set_config(cfg);
    clean(*l, 10000);
    EXPECT_EQ(l->segment_count(), 2u);
    EXPECT_EQ(records_of(*l), (std::vector<stored_record>{
                                  {3, "b", "2"}, {4, "a", "2"}, {5, "z", "1"}, {6, "x", "2"}, {7, "q", "1"}}));
    EXPECT_EQ(first_batch_read_from(*l, 0), 3);
    EXPECT_EQ(first_batch_read_from(*l, 2), 3);
    EXPECT_EQ(l->log_start_offset(), 0);
    EXPECT_EQ(l->log_end_offset(), 8);
}

TEST_F(log_compaction, a_read_in_flight_keeps_the_replaced_file) {
    auto l = four_segments(dir_);
    auto rr = l->read(0, 1 << 20, INT64_MAX);
    ASSERT_TRUE(rr);
    std::vector<uint8_t> before(rr->slice.size);
    ASSERT_TRUE(rr->slice.file->pread(before, rr->slice.position));
    auto cfg = l->config();
    cfg.segment_bytes = 1 << 20;
    l->set_config(cfg);
    clean(*l, 10000);
    ASSERT_FALSE(fs::exists(segment::file_name(dir_, 1, ".log")));
    // The slice taken before still reads the old bytes (what sendfile would send).
    std::vector<uint8_t> later(rr->slice.size);
    auto got = rr->slice.file->pread(later, rr->slice.position);
    ASSERT_TRUE(got);
    EXPECT_EQ(*got, later.size());
    EXPECT_EQ(later, before);
    EXPECT_EQ(records_of(*l), cleaned_contents());
}

TEST_F(log_compaction, unfinished_output_left_by_a_crash_is_deleted_and_the_data_is_intact) {
    auto l = four_segments(dir_);
    auto cfg = l->config();
    cfg.segment_bytes = 1 << 20;
    l->set_config(cfg);
    auto before = records_of(*l);
    cleaning_pass pass(*l, 10000, 1 << 20);
    for (int i = 0; i < 100 && files_ending(dir_, ".cleaned").empty(); ++i) ASSERT_TRUE(pass.step(10000, 1));
    ASSERT_FALSE(files_ending(dir_, ".cleaned").empty());
    // A copy of the directory now is what a crash (kill -9, power loss after the syncs) leaves.
    auto crashed = tmp_.path() / "crashed-0";
    fs::copy(dir_, crashed, fs::copy_options::recursive);
    auto after_crash = open(crashed, false, cfg);
    EXPECT_TRUE(files_ending(crashed, ".cleaned").empty());
    EXPECT_EQ(records_of(*after_crash), before);
    EXPECT_EQ(after_crash->segment_count(), 5u);
    EXPECT_EQ(after_crash->cleaner_offset(), -1);
}

// A crash after the cleaned output became `<base>.log.swap`: the next open
// finishes the swap, however far the old files had got.
class interrupted_swap : public log_compaction, public ::testing::WithParamInterface<int> {};

TEST_P(interrupted_swap, is_completed_on_open) {
    auto pristine = tmp_.path() / "pristine-0";
    {
        auto l = four_segments(pristine);
        ASSERT_TRUE(l->close());
    }
    fs::copy(pristine, dir_, fs::copy_options::recursive);
    auto l = open(dir_);
    auto cfg = l->config();
    cfg.segment_bytes = 1 << 20;
    l->set_config(cfg);
    clean(*l, 10000);
    ASSERT_EQ(records_of(*l), cleaned_contents());
    ASSERT_TRUE(l->close());

    auto crashed = tmp_.path() / "crashed-0";
    fs::copy(pristine, crashed, fs::copy_options::recursive);
    fs::copy_file(segment::file_name(dir_, 0, ".log"), fs::path(segment::file_name(crashed, 0, ".log")) += ".swap");
    // How far the swap got: 0 the swap only, 1 the base's old indexes unlinked,
    // 2 some old segments unlinked too.
    if (GetParam() >= 1) {
        fs::remove(segment::file_name(crashed, 0, ".index"));
        fs::remove(segment::file_name(crashed, 0, ".timeindex"));
    }
    if (GetParam() >= 2)
        for (const char* ext : {".log", ".index", ".timeindex"}) fs::remove(segment::file_name(crashed, 1, ext));
    auto recovered = open(crashed, false, cfg);
    EXPECT_EQ(records_of(*recovered), cleaned_contents());
    EXPECT_EQ(recovered->segment_count(), 2u);
    EXPECT_TRUE(files_ending(crashed, ".swap").empty());
    for (int b = 1; b <= 3; ++b) EXPECT_FALSE(fs::exists(segment::file_name(crashed, b, ".log"))) << b;
    // The indexes were rebuilt for the swapped-in .log: a lookup by time works.
    auto hit = recovered->find_offset_by_timestamp(3000);
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->offset, 2);
}

INSTANTIATE_TEST_SUITE_P(steps, interrupted_swap, ::testing::Values(0, 1, 2));

TEST_F(log_compaction, segments_past_the_last_offset_of_an_interrupted_swap_are_kept) {
    // Segments 0 (a=1) and 1 (b=1) merged, b=1 superseded by b=2 in segment 2:
    // the swap holds only a@0. Recovery cannot tell segment 1 was in the group
    // and keeps it; its stale record reappears, nothing kept is lost, and the
    // next pass removes it again.
    auto pristine = tmp_.path() / "pristine-0";
    {
        auto l = open(pristine);
        append(*l, {{"a", "1"}});
        append(*l, {{"b", "1"}});
        append(*l, {{"b", "2"}});
        append(*l, {{"z", "1"}});
        ASSERT_TRUE(l->close());
    }
    auto crashed = tmp_.path() / "crashed-0";
    fs::copy(pristine, crashed, fs::copy_options::recursive);
    {
        auto f = segment_file::open(fs::path(segment::file_name(crashed, 0, ".log")) += ".swap", true);
        ASSERT_TRUE(f);
        ASSERT_TRUE((*f)->append(keyed_batch({{"a", "1"}}, 1000)));
    }
    auto recovered = open(crashed, false);
    EXPECT_TRUE(files_ending(crashed, ".swap").empty());
    EXPECT_EQ(records_of(*recovered),
              (std::vector<stored_record>{{0, "a", "1"}, {1, "b", "1"}, {2, "b", "2"}, {3, "z", "1"}}));
    clean(*recovered, 10000);
    EXPECT_EQ(records_of(*recovered), (std::vector<stored_record>{{0, "a", "1"}, {2, "b", "2"}, {3, "z", "1"}}));
}

TEST_F(log_compaction, missing_indexes_of_a_cleaned_segment_are_rebuilt) {
    {
        auto l = four_segments(dir_);
        auto cfg = l->config();
        cfg.segment_bytes = 1 << 20;
        l->set_config(cfg);
        clean(*l, 10000);
        ASSERT_TRUE(l->close());
    }
    fs::remove(segment::file_name(dir_, 0, ".index"));
    fs::remove(segment::file_name(dir_, 0, ".timeindex"));
    auto l = open(dir_, true);
    EXPECT_TRUE(fs::exists(segment::file_name(dir_, 0, ".index")));
    EXPECT_TRUE(fs::exists(segment::file_name(dir_, 0, ".timeindex")));
    EXPECT_EQ(records_of(*l), cleaned_contents());
    EXPECT_EQ(first_batch_read_from(*l, 0), 1);
    EXPECT_EQ(l->cleaner_offset(), 4);
}

} // namespace
} // namespace strata::storage
