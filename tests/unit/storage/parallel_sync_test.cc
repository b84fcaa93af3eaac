// parallel_sync: one answer per input file, whether the round is synced side
// by side (few files) or handed to syncfs (more files than threads), a failed
// fdatasync answered as false at its own place only, and many rounds in a row
// through the same helper threads.

#include "strata/storage/parallel_sync.h"

#include <gtest/gtest.h>

#include "test_batches.h"

namespace strata::storage {
namespace {

using testing::file_with_data;

// fdatasync of a character device fails (EINVAL): a file whose sync fails.
std::shared_ptr<segment_file> unsyncable() {
    auto f = segment_file::open("/dev/null", false);
    EXPECT_TRUE(f);
    return f ? *f : nullptr;
}

TEST(parallel_sync, a_few_files_and_duplicates_are_answered_at_each_place) {
    testing::temp_dir dir;
    parallel_sync syncer(3);
    auto a = file_with_data(dir.path() / "a");
    auto b = file_with_data(dir.path() / "b");
    EXPECT_EQ(syncer.sync(std::vector{a}), std::vector<bool>{true});
    EXPECT_EQ(syncer.sync(std::vector{a, b, a}), (std::vector<bool>{true, true, true}));
    EXPECT_TRUE(syncer.sync(std::vector<std::shared_ptr<segment_file>>{}).empty());
}

TEST(parallel_sync, a_failed_sync_fails_only_its_own_file) {
    testing::temp_dir dir;
    parallel_sync syncer(3);
    auto a = file_with_data(dir.path() / "a");
    auto bad = unsyncable();
    EXPECT_EQ(syncer.sync(std::vector{a, bad, a}), (std::vector<bool>{true, false, true}));
    EXPECT_EQ(syncer.sync(std::vector{bad}), std::vector<bool>{false});
}

TEST(parallel_sync, more_files_than_threads_are_synced_per_filesystem) {
    testing::temp_dir dir;
    parallel_sync syncer(1);
    std::vector<std::shared_ptr<segment_file>> files;
    for (int i = 0; i < 5; ++i) files.push_back(file_with_data(dir.path() / std::to_string(i)));
    files.push_back(files[0]);
    EXPECT_EQ(syncer.sync(files), std::vector<bool>(6, true));
    // The failing file stands alone on its filesystem: fdatasync, false.
    files.push_back(unsyncable());
    auto ok = syncer.sync(files);
    EXPECT_EQ(ok, (std::vector<bool>{true, true, true, true, true, true, false}));
}

TEST(parallel_sync, the_helpers_serve_round_after_round) {
    testing::temp_dir dir;
    parallel_sync syncer(3);
    std::vector<std::shared_ptr<segment_file>> files;
    for (int i = 0; i < 4; ++i) files.push_back(file_with_data(dir.path() / std::to_string(i)));
    for (int round = 0; round < 200; ++round) {
        const uint8_t more[] = {uint8_t(round)};
        for (auto& f : files) ASSERT_TRUE(f->append(more));
        ASSERT_EQ(syncer.sync(files), std::vector<bool>(4, true)) << "round " << round;
    }
}

} // namespace
} // namespace strata::storage
