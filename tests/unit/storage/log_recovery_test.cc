#include "strata/storage/log.h"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "test_batches.h"

namespace strata::storage {
namespace {

using testing::batch_spec;
using testing::make_batch;
using testing::temp_dir;

std::unique_ptr<log> open_log(const std::filesystem::path& dir, bool clean, log_config cfg = {}) {
    auto l = log::open(dir, cfg, clean, 100000);
    EXPECT_TRUE(l);
    return l ? std::move(*l) : nullptr;
}

append_result must_append(log& l, std::vector<uint8_t> b) {
    auto r = l.append(b, 1, 100000);
    EXPECT_TRUE(r) << (r ? "" : to_string(r.error()));
    return r ? *r : append_result{};
}

result<append_result, errc> try_append(log& l, std::vector<uint8_t> b) {
    return l.append(b, 1, 100000);
}

void write_at(const std::filesystem::path& p, uint64_t pos, std::span<const uint8_t> bytes) {
    int fd = ::open(p.c_str(), O_WRONLY);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::pwrite(fd, bytes.data(), bytes.size(), off_t(pos)), ssize_t(bytes.size()));
    ::close(fd);
}

std::vector<int64_t> offsets_from(log& l, int64_t start) {
    std::vector<int64_t> out;
    while (start < l.log_end_offset()) {
        auto rr = l.read(start, 1 << 20, INT64_MAX);
        EXPECT_TRUE(rr);
        if (!rr || rr->slice.size == 0)
            break;
        std::vector<uint8_t> bytes(rr->slice.size);
        EXPECT_TRUE(rr->slice.file->pread(bytes, rr->slice.position));
        for (size_t off = 0; off < bytes.size();) {
            auto h = batch_header::decode(bytes.data() + off);
            out.push_back(h.base_offset);
            start = h.last_offset() + 1;
            off += h.size_bytes();
        }
    }
    return out;
}

class log_recovery : public ::testing::Test {
protected:
    // Ten batches of 3 records (offsets 0..29), value 100 bytes each, small index interval.
    void fill(log_config cfg = {.index_interval_bytes = 300}) {
        cfg_ = cfg;
        auto l = open_log(dir_, true, cfg_);
        for (int i = 0; i < 10; ++i)
            must_append(*l, make_batch({.records = 3, .base_timestamp = 1000 + 10 * i, .value_size = 100}));
        batch_size_ = make_batch({.records = 3, .value_size = 100}).size();
        index_entries_ = l->segment_at(0).offset_idx().entries();
        ASSERT_TRUE(l->close());
    }
    std::filesystem::path file(const char* ext) const { return dir_ / (std::string("00000000000000000000") + ext); }

    temp_dir tmp_;
    std::filesystem::path dir_ = tmp_.path() / "orders.v1-3";
    log_config cfg_;
    size_t batch_size_ = 0;
    size_t index_entries_ = 0;
};

TEST_F(log_recovery, reopen_after_close_keeps_everything) {
    fill();
    auto l = open_log(dir_, true, cfg_);
    EXPECT_EQ(l->log_end_offset(), 30);
    EXPECT_EQ(l->durable_offset(), 30);
    EXPECT_EQ(l->segment_at(0).offset_idx().entries(), index_entries_);
    EXPECT_GT(index_entries_, 0u);
    EXPECT_EQ(l->segment_at(0).max_timestamp(), 1092);
    std::vector<int64_t> expect;
    for (int i = 0; i < 10; ++i)
        expect.push_back(3 * i);
    EXPECT_EQ(offsets_from(*l, 0), expect);
    EXPECT_EQ(must_append(*l, make_batch({})).base_offset, 30);
}

TEST_F(log_recovery, a_log_whose_segment_cannot_be_opened_fails_to_open_and_writes_nothing) {
    // What running out of file descriptors does to the first segment's open
    // (here: a directory where the segment file should be). The broker used
    // to crash closing the log that never opened.
    std::filesystem::create_directories(file(".log"));
    auto before = std::filesystem::directory_iterator(dir_);
    const auto entries = std::distance(before, std::filesystem::directory_iterator());
    auto l = log::open(dir_, cfg_, false, 100000);
    ASSERT_FALSE(l);
    EXPECT_EQ(l.error(), errc::io_error);
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), std::filesystem::directory_iterator()), entries)
        << "a log that did not open wrote no checkpoint or snapshot";
}

TEST_F(log_recovery, unclean_open_of_a_valid_log_loses_nothing) {
    fill();
    auto l = open_log(dir_, false, cfg_);
    EXPECT_EQ(l->log_end_offset(), 30);
    EXPECT_EQ(l->segment_at(0).size(), 10 * batch_size_);
    EXPECT_EQ(l->segment_at(0).offset_idx().entries(), index_entries_);
}

TEST_F(log_recovery, torn_tail_is_truncated_to_the_valid_prefix) {
    fill();
    std::filesystem::resize_file(file(".log"), 9 * batch_size_ + 50);
    auto l = open_log(dir_, false, cfg_);
    EXPECT_EQ(l->log_end_offset(), 27);
    EXPECT_EQ(std::filesystem::file_size(file(".log")), 9 * batch_size_);
    EXPECT_EQ(must_append(*l, make_batch({})).base_offset, 27);
    EXPECT_EQ(offsets_from(*l, 24), (std::vector<int64_t>{24, 27}));
}

TEST_F(log_recovery, truncation_inside_the_length_prefix) {
    fill();
    std::filesystem::resize_file(file(".log"), 9 * batch_size_ + 5);
    auto l = open_log(dir_, false, cfg_);
    EXPECT_EQ(l->log_end_offset(), 27);
}

TEST_F(log_recovery, garbage_after_the_last_batch_is_dropped) {
    fill();
    std::vector<uint8_t> junk(777);
    for (size_t i = 0; i < junk.size(); ++i)
        junk[i] = uint8_t(i * 31 + 7);
    write_at(file(".log"), 10 * batch_size_, junk);
    auto l = open_log(dir_, false, cfg_);
    EXPECT_EQ(l->log_end_offset(), 30);
    EXPECT_EQ(std::filesystem::file_size(file(".log")), 10 * batch_size_);
}

TEST_F(log_recovery, zero_filled_tail_is_dropped) {
    fill();
    std::vector<uint8_t> zeros(4096, 0);
    write_at(file(".log"), 10 * batch_size_, zeros);
    auto l = open_log(dir_, false, cfg_);
    EXPECT_EQ(l->log_end_offset(), 30);
    EXPECT_EQ(std::filesystem::file_size(file(".log")), 10 * batch_size_);
}

TEST_F(log_recovery, batch_failing_its_crc_and_everything_after_is_dropped) {
    fill();
    // Flip a byte in the records of batch 8 (offsets 24..26).
    uint8_t b = 0;
    int fd = ::open(file(".log").c_str(), O_RDWR);
    uint64_t pos = 8 * batch_size_ + batch_header_size + 20;
    ASSERT_EQ(::pread(fd, &b, 1, off_t(pos)), 1);
    b ^= 0x40;
    ASSERT_EQ(::pwrite(fd, &b, 1, off_t(pos)), 1);
    ::close(fd);
    auto l = open_log(dir_, false, cfg_);
    EXPECT_EQ(l->log_end_offset(), 24);
    EXPECT_EQ(std::filesystem::file_size(file(".log")), 8 * batch_size_);
    EXPECT_EQ(l->segment_at(0).max_timestamp(), 1072);
}

TEST_F(log_recovery, missing_indexes_are_rebuilt) {
    fill();
    std::filesystem::remove(file(".index"));
    std::filesystem::remove(file(".timeindex"));
    auto l = open_log(dir_, true, cfg_);
    EXPECT_EQ(l->log_end_offset(), 30);
    EXPECT_EQ(l->segment_at(0).offset_idx().entries(), index_entries_);
    EXPECT_GT(l->segment_at(0).time_idx().entries(), 0u);
    EXPECT_GT(std::filesystem::file_size(file(".index")), 0u);
    EXPECT_EQ(offsets_from(*l, 17).front(), 15);
    auto t = l->find_offset_by_timestamp(1061);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->offset, 19);  // batch 6 holds 18..20 at 1060..1062
}

TEST_F(log_recovery, corrupt_indexes_are_rebuilt) {
    fill();
    // Non-monotonic offset index; time index of a size no entry size divides.
    std::vector<uint8_t> entry(8);
    be::store32(entry.data(), 1);
    be::store32(entry.data() + 4, 0);
    write_at(file(".index"), 8, entry);
    std::filesystem::resize_file(file(".timeindex"), 13);
    auto l = open_log(dir_, true, cfg_);
    EXPECT_EQ(l->segment_at(0).offset_idx().entries(), index_entries_);
    EXPECT_EQ(std::filesystem::file_size(file(".timeindex")) % 12, 0u);
    EXPECT_EQ(offsets_from(*l, 29).front(), 27);
    auto t = l->find_offset_by_timestamp(1090);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->offset, 27);
}

TEST_F(log_recovery, index_pointing_past_the_log_is_rebuilt) {
    fill();
    std::vector<uint8_t> entry(8);
    be::store32(entry.data(), 29);
    be::store32(entry.data() + 4, 1 << 30);
    write_at(file(".index"), std::filesystem::file_size(file(".index")), entry);
    auto l = open_log(dir_, true, cfg_);
    EXPECT_EQ(l->segment_at(0).offset_idx().entries(), index_entries_);
    EXPECT_EQ(offsets_from(*l, 28).front(), 27);
}

TEST_F(log_recovery, torn_tail_of_an_older_segment_is_caught_on_clean_open) {
    auto size = make_batch({.records = 3, .value_size = 100}).size();
    fill({.segment_bytes = size * 4, .index_interval_bytes = 300});
    auto l0 = open_log(dir_, true, cfg_);
    ASSERT_EQ(l0->segment_count(), 3u);
    l0.reset();
    std::filesystem::resize_file(file(".log"), size * 3 + 20);
    auto l = open_log(dir_, true, cfg_);
    EXPECT_EQ(l->segment_at(0).next_offset(), 9);
    EXPECT_EQ(std::filesystem::file_size(file(".log")), size * 3);
    EXPECT_EQ(l->log_end_offset(), 30);
}

TEST_F(log_recovery, producer_state_survives_reopen) {
    {
        auto l = open_log(dir_, true);
        for (int i = 0; i < 3; ++i)
            must_append(*l, make_batch({.records = 2, .producer_id = 42, .producer_epoch = 1, .base_sequence = 2 * i}));
        must_append(*l, make_batch({.records = 1}));
        ASSERT_TRUE(l->close());
    }
    for (bool clean : {true, false}) {
        auto l = open_log(dir_, clean);
        auto dup = try_append(*l, make_batch({.records = 2, .producer_id = 42, .producer_epoch = 1, .base_sequence = 2}));
        ASSERT_TRUE(dup);
        EXPECT_TRUE(dup->duplicate);
        EXPECT_EQ(dup->base_offset, 2);
        EXPECT_EQ(dup->last_offset, 3);
        EXPECT_EQ(l->log_end_offset(), 7);
        auto gap = try_append(*l, make_batch({.records = 1, .producer_id = 42, .producer_epoch = 1, .base_sequence = 7}));
        ASSERT_FALSE(gap);
        EXPECT_EQ(gap.error(), errc::out_of_order_sequence);
        auto stale = try_append(*l, make_batch({.records = 1, .producer_id = 42, .producer_epoch = 0, .base_sequence = 6}));
        ASSERT_FALSE(stale);
        EXPECT_EQ(stale.error(), errc::invalid_producer_epoch);
    }
}

} // namespace
} // namespace strata::storage
