#include "strata/storage/time_index.h"

#include <gtest/gtest.h>

#include "test_batches.h"

namespace strata::storage {
namespace {

using testing::temp_dir;

TEST(time_index, maybe_append_keeps_timestamps_increasing) {
    temp_dir d;
    auto idx = time_index::open(d.path() / "00000000000000000050.timeindex", 50);
    ASSERT_TRUE(idx);
    auto& t = **idx;
    t.maybe_append(1000, 60);
    t.maybe_append(1000, 70); // same timestamp: skipped
    t.maybe_append(900, 80);  // older: skipped
    t.maybe_append(2000, 90);
    EXPECT_EQ(t.entries(), 2u);
    EXPECT_FALSE(t.lookup(999));
    EXPECT_EQ(t.lookup(1000)->offset, 60);
    EXPECT_EQ(t.lookup(1999)->offset, 60);
    EXPECT_EQ(t.lookup(5000)->offset, 90);
    EXPECT_EQ(t.last()->timestamp, 2000);
}

TEST(time_index, flush_reload_truncate) {
    temp_dir d;
    auto path = d.path() / "00000000000000000050.timeindex";
    {
        auto idx = time_index::open(path, 50);
        ASSERT_TRUE(idx);
        (*idx)->maybe_append(1000, 60);
        (*idx)->maybe_append(2000, 70);
        (*idx)->maybe_append(3000, 80);
        ASSERT_TRUE((*idx)->flush());
    }
    EXPECT_EQ(std::filesystem::file_size(path), 36u);
    auto idx = time_index::open(path, 50);
    ASSERT_TRUE(idx);
    EXPECT_FALSE((*idx)->corrupt());
    EXPECT_EQ((*idx)->lookup(2500)->offset, 70);
    EXPECT_TRUE((*idx)->consistent_with(81));
    EXPECT_FALSE((*idx)->consistent_with(80));
    ASSERT_TRUE((*idx)->truncate_to(70));
    EXPECT_EQ((*idx)->entries(), 1u);
    EXPECT_EQ(std::filesystem::file_size(path), 12u);
    std::filesystem::resize_file(path, 11);
    auto bad = time_index::open(path, 50);
    ASSERT_TRUE(bad);
    EXPECT_TRUE((*bad)->corrupt());
}

} // namespace
} // namespace strata::storage
