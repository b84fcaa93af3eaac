#include "strata/storage/segment.h"

#include <gtest/gtest.h>

#include "test_batches.h"

namespace strata::storage {
namespace {

using testing::batch_spec;
using testing::make_batch;
using testing::temp_dir;

// Batch k holds offset k, max timestamp 1000 + 10k.
std::vector<uint8_t> numbered(int64_t k) {
    auto b = make_batch({.base_timestamp = 1000 + 10 * k, .value_size = 100});
    be::store64(b.data(), uint64_t(k));
    return b;
}

class segment_test : public ::testing::Test {
protected:
    void SetUp() override {
        size_ = numbered(0).size();
        ASSERT_GT(size_, 125u);
        ASSERT_LE(size_, 250u);
        auto s = segment::create(tmp_.path(), 0, 250, 0);
        ASSERT_TRUE(s);
        seg_ = std::move(*s);
        for (int k = 0; k < 10; ++k)
            ASSERT_TRUE(seg_->append(numbered(k), 0));
    }

    temp_dir tmp_;
    std::unique_ptr<segment> seg_;
    size_t size_ = 0;
    std::vector<uint8_t> scratch_;
};

TEST_F(segment_test, index_entries_follow_kafkas_interval_rule) {
    // An entry is added for a batch once more than 250 bytes were appended
    // since the last one: before batches 2, 4, 6 and 8.
    const auto& idx = seg_->offset_idx();
    EXPECT_EQ(idx.entries(), 4u);
    EXPECT_EQ(idx.lookup(2).position, 2 * size_);
    EXPECT_EQ(idx.lookup(5).position, 4 * size_);
    EXPECT_EQ(idx.lookup(9).position, 8 * size_);
    EXPECT_EQ(seg_->time_idx().lookup(1065)->offset, 6);
    EXPECT_EQ(seg_->next_offset(), 10);
    EXPECT_EQ(seg_->max_timestamp(), 1090);
    EXPECT_EQ(seg_->max_timestamp_offset(), 9);
}

TEST_F(segment_test, find_and_read_use_whole_batches) {
    auto f = seg_->find(7, scratch_);
    ASSERT_TRUE(f);
    ASSERT_TRUE(*f);
    EXPECT_EQ((*f)->position, 7 * size_);
    EXPECT_EQ((*f)->base_offset, 7);
    auto none = seg_->find(10, scratch_);
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none);

    auto r = seg_->read(3, 3 * size_ - 1, INT64_MAX, scratch_);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->position, 3 * size_);
    EXPECT_EQ(r->size, 2 * size_);
    r = seg_->read(3, 0, INT64_MAX, scratch_);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->size, size_);
    r = seg_->read(3, 1 << 20, 6, scratch_);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->size, 3 * size_);
    r = seg_->read(6, 1 << 20, 6, scratch_);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->size, 0u);
}

TEST_F(segment_test, find_by_timestamp_returns_first_batch_reaching_it) {
    auto hit = seg_->find_by_timestamp(1041, scratch_);
    ASSERT_TRUE(hit);
    ASSERT_TRUE(*hit);
    EXPECT_EQ((*hit)->offset, 5);
    EXPECT_EQ((*hit)->timestamp, 1050);
    hit = seg_->find_by_timestamp(0, scratch_);
    ASSERT_TRUE(hit);
    EXPECT_EQ((*hit)->offset, 0);
    hit = seg_->find_by_timestamp(1091, scratch_);
    ASSERT_TRUE(hit);
    EXPECT_FALSE(*hit);
}

TEST_F(segment_test, truncate_then_reopen_without_recovery) {
    ASSERT_TRUE(seg_->truncate_to(5, scratch_));
    EXPECT_EQ(seg_->next_offset(), 5);
    EXPECT_EQ(seg_->size(), 5 * size_);
    EXPECT_EQ(seg_->max_timestamp(), 1040);
    EXPECT_EQ(seg_->offset_idx().entries(), 2u);
    ASSERT_TRUE(seg_->seal());
    auto again = segment::open(tmp_.path(), 0, 250, false, scratch_, 5000);
    ASSERT_TRUE(again);
    EXPECT_EQ((*again)->next_offset(), 5);
    EXPECT_EQ((*again)->max_timestamp(), 1040);
    EXPECT_EQ((*again)->offset_idx().entries(), 2u);
    EXPECT_EQ((*again)->rolling_base_ms(), 1000); // first batch's timestamp
}

TEST(segment_file_test, short_read_at_end_and_unlinked_file_stays_readable) {
    temp_dir d;
    auto f = segment_file::open(d.path() / "x.log", true);
    ASSERT_TRUE(f);
    std::vector<uint8_t> data{1, 2, 3, 4, 5};
    ASSERT_TRUE((*f)->append(data));
    ASSERT_TRUE((*f)->append(data));
    EXPECT_EQ((*f)->size(), 10u);
    ASSERT_TRUE((*f)->unlink());
    EXPECT_FALSE(std::filesystem::exists(d.path() / "x.log"));
    std::vector<uint8_t> buf(8);
    auto n = (*f)->pread(buf, 6);
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 4u);
    EXPECT_EQ(buf[0], 2);
    auto missing = segment_file::open(d.path() / "x.log", false);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error(), errc::not_found);
}

TEST(segment_file_test, start_writeback_keeps_the_data_and_reports_a_file_that_cannot_be_written_back) {
    temp_dir d;
    auto f = segment_file::open(d.path() / "x.log", true);
    ASSERT_TRUE(f);
    std::vector<uint8_t> data(64 << 10, 7);
    ASSERT_TRUE((*f)->append(data));
    EXPECT_TRUE((*f)->start_writeback());
    EXPECT_TRUE((*f)->sync());
    std::vector<uint8_t> buf(data.size());
    auto n = (*f)->pread(buf, 0);
    ASSERT_TRUE(n);
    EXPECT_EQ(buf, data);
    // A character device has no pages to write back (ESPIPE): an io_error, as a failed sync is.
    auto dev = segment_file::open("/dev/null", false);
    ASSERT_TRUE(dev);
    auto r = (*dev)->start_writeback();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::io_error);
}

} // namespace
} // namespace strata::storage
