#include "strata/storage/producer_snapshot.h"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "strata/storage/log.h"
#include "test_batches.h"

namespace strata::storage {
namespace {

using testing::batch_spec;
using testing::make_batch;
using testing::temp_dir;

std::vector<uint8_t> idem(int64_t pid, int16_t epoch, int32_t seq, int records = 1) {
    return make_batch({.records = records, .producer_id = pid, .producer_epoch = epoch, .base_sequence = seq});
}

result<append_result, errc> try_append(log& l, std::vector<uint8_t> b) {
    return l.append(b, 0, 0);
}

TEST(producer_snapshot, round_trip_keeps_the_last_five_batches) {
    temp_dir d;
    producer_state ps;
    for (int i = 0; i < 7; ++i) {
        auto b = idem(1, 3, i * 2, 2);
        be::store64(b.data(), uint64_t(100 + i * 2));
        ps.apply(batch_header::decode(b.data()));
    }
    auto b = idem(2, 0, 0);
    ps.apply(batch_header::decode(b.data()));
    ASSERT_TRUE(producer_snapshot::write(d.path(), 114, ps, true));
    EXPECT_TRUE(std::filesystem::exists(d.path() / "00000000000000000114.snapshot"));

    producer_state loaded;
    auto r = producer_snapshot::read(producer_snapshot::file_name(d.path(), 114), loaded);
    ASSERT_TRUE(r);
    ASSERT_TRUE(*r);
    ASSERT_EQ(loaded.size(), 2u);
    const auto* e = loaded.find(1);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->epoch, 3);
    EXPECT_EQ(e->count, 5);
    EXPECT_EQ(e->last().first_seq, 12);
    EXPECT_EQ(e->last().last_offset, 113);
    EXPECT_EQ(e->batches[e->head].first_seq, 4); // oldest retained
    // Batch seq 6..7 is still a duplicate after the round trip.
    auto dup = loaded.check_and_stage(batch_header::decode(idem(1, 3, 6, 2).data()), 0, 1);
    ASSERT_TRUE(dup);
    EXPECT_TRUE(dup->duplicate);
    EXPECT_EQ(dup->first_offset, 106);
    EXPECT_EQ(producer_snapshot::list(d.path()), (std::vector<int64_t>{114}));
}

TEST(producer_snapshot, corrupt_file_is_rejected) {
    temp_dir d;
    producer_state ps;
    auto b = idem(1, 0, 0);
    ps.apply(batch_header::decode(b.data()));
    ASSERT_TRUE(producer_snapshot::write(d.path(), 5, ps, false));
    auto path = producer_snapshot::file_name(d.path(), 5);
    int fd = ::open(path.c_str(), O_RDWR);
    uint8_t x = 0x77;
    ASSERT_EQ(::pwrite(fd, &x, 1, 20), 1);
    ::close(fd);
    producer_state loaded;
    auto r = producer_snapshot::read(path, loaded);
    ASSERT_TRUE(r);
    EXPECT_FALSE(*r);
    std::filesystem::resize_file(path, 3);
    r = producer_snapshot::read(path, loaded);
    ASSERT_TRUE(r);
    EXPECT_FALSE(*r);
}

TEST(producer_snapshot, log_writes_them_at_roll_and_close_and_keeps_two) {
    temp_dir d;
    auto dir = d.path() / "t-0";
    auto size = idem(7, 0, 0).size();
    {
        auto l = log::open(dir, {.segment_bytes = size * 2}, true, 0);
        ASSERT_TRUE(l);
        for (int i = 0; i < 9; ++i)
            ASSERT_TRUE(try_append(**l, idem(7, 0, i))); // rolls at 2, 4, 6, 8
        EXPECT_EQ(producer_snapshot::list(dir), (std::vector<int64_t>{6, 8}));
        ASSERT_TRUE((*l)->close());
    }
    EXPECT_EQ(producer_snapshot::list(dir), (std::vector<int64_t>{8, 9}));
}

TEST(producer_snapshot, crash_image_replays_batches_after_the_roll_snapshot) {
    temp_dir d;
    auto dir = d.path() / "t-0";
    auto image = d.path() / "image-0";
    auto size = idem(7, 0, 0, 2).size();
    {
        auto l = log::open(dir, {.segment_bytes = size * 3}, true, 0);
        ASSERT_TRUE(l);
        for (int i = 0; i < 5; ++i)
            ASSERT_TRUE(try_append(**l, idem(7, 0, 2 * i, 2))); // roll (and snapshot) at offset 6
        ASSERT_TRUE(try_append(**l, idem(8, 2, 0, 1)));
        // What a crash would leave: no close, no snapshot at the log end.
        std::filesystem::copy(dir, image, std::filesystem::copy_options::recursive);
    }
    EXPECT_EQ(producer_snapshot::list(image), (std::vector<int64_t>{6}));
    auto l = log::open(image, {.segment_bytes = size * 3}, false, 0);
    ASSERT_TRUE(l);
    EXPECT_EQ((*l)->log_end_offset(), 11);
    // Seq 8..9 (offsets 8..9) was appended after the snapshot: found by the replay.
    auto dup = try_append(**l, idem(7, 0, 8, 2));
    ASSERT_TRUE(dup);
    EXPECT_TRUE(dup->duplicate);
    EXPECT_EQ(dup->base_offset, 8);
    // Seq 2..3 predates the snapshot: found in it.
    dup = try_append(**l, idem(7, 0, 2, 2));
    ASSERT_TRUE(dup);
    EXPECT_TRUE(dup->duplicate);
    EXPECT_EQ(dup->base_offset, 2);
    auto next = try_append(**l, idem(8, 2, 1));
    ASSERT_TRUE(next);
    EXPECT_FALSE(next->duplicate);
    EXPECT_EQ(next->base_offset, 11);
}

TEST(producer_snapshot, snapshots_past_the_log_end_are_discarded) {
    temp_dir d;
    auto dir = d.path() / "t-0";
    {
        auto l = log::open(dir, {}, true, 0);
        ASSERT_TRUE(l);
        ASSERT_TRUE(try_append(**l, idem(7, 0, 0, 3)));
        ASSERT_TRUE((*l)->close());
    }
    // A snapshot claiming a producer state beyond what the log holds.
    producer_state bogus;
    auto b = idem(7, 0, 3, 5);
    be::store64(b.data(), 3);
    bogus.apply(batch_header::decode(b.data()));
    ASSERT_TRUE(producer_snapshot::write(dir, 8, bogus, false));
    auto l = log::open(dir, {}, true, 0);
    ASSERT_TRUE(l);
    EXPECT_EQ(producer_snapshot::list(dir), (std::vector<int64_t>{3}));
    auto next = try_append(**l, idem(7, 0, 3));
    ASSERT_TRUE(next);
    EXPECT_EQ(next->base_offset, 3);
}

TEST(producer_snapshot, truncation_drops_newer_snapshots_and_state) {
    temp_dir d;
    auto dir = d.path() / "t-0";
    auto size = idem(7, 0, 0).size();
    auto l = log::open(dir, {.segment_bytes = size * 2}, true, 0);
    ASSERT_TRUE(l);
    for (int i = 0; i < 7; ++i)
        ASSERT_TRUE(try_append(**l, idem(7, 0, i)));
    ASSERT_TRUE((*l)->truncate_to(3, 0));
    for (int64_t o : producer_snapshot::list(dir))
        EXPECT_LE(o, 3);
    auto next = try_append(**l, idem(7, 0, 3));
    ASSERT_TRUE(next);
    EXPECT_FALSE(next->duplicate);
    EXPECT_EQ(next->base_offset, 3);
}

} // namespace
} // namespace strata::storage
