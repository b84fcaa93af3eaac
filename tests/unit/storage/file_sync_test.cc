// sync_files: one answer per input file, duplicates included, whether the
// files share a filesystem (syncfs) or one stands alone (fdatasync).

#include "strata/storage/file_sync.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include "test_batches.h"

namespace strata::storage {
namespace {

using testing::file_with_data;

TEST(file_sync, a_lone_file_and_files_sharing_a_filesystem_are_all_synced) {
    testing::temp_dir dir;
    auto a = file_with_data(dir.path() / "a");
    EXPECT_EQ(sync_files(std::vector{a}), std::vector<bool>{true});

    auto b = file_with_data(dir.path() / "b");
    auto c = file_with_data(dir.path() / "c");
    EXPECT_EQ(a->device(), b->device());
    EXPECT_EQ(sync_files(std::vector{a, b, c}), (std::vector<bool>{true, true, true}));
}

TEST(file_sync, a_file_listed_twice_gets_an_answer_at_each_place) {
    testing::temp_dir dir;
    auto a = file_with_data(dir.path() / "a");
    auto b = file_with_data(dir.path() / "b");
    EXPECT_EQ(sync_files(std::vector{a, b, a}), (std::vector<bool>{true, true, true}));
    EXPECT_TRUE(sync_files(std::vector<std::shared_ptr<segment_file>>{}).empty());
}

TEST(file_sync, the_device_is_the_filesystem_of_the_file) {
    testing::temp_dir dir;
    auto a = file_with_data(dir.path() / "a");
    struct stat st {};
    ASSERT_EQ(::stat((dir.path() / "a").c_str(), &st), 0);
    EXPECT_EQ(a->device(), st.st_dev);
}

} // namespace
} // namespace strata::storage
