#include "strata/storage/offset_index.h"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "test_batches.h"

namespace strata::storage {
namespace {

using testing::temp_dir;

TEST(offset_index, lookup_finds_largest_entry_at_or_below) {
    temp_dir d;
    auto idx = offset_index::open(d.path() / "00000000000000000100.index", 100);
    ASSERT_TRUE(idx);
    auto& i = **idx;
    i.append(110, 4000);
    i.append(120, 8000);
    i.append(130, 12000);
    i.append(125, 13000); // not increasing: ignored
    EXPECT_EQ(i.entries(), 3u);
    EXPECT_EQ(i.lookup(105).offset, 100);
    EXPECT_EQ(i.lookup(105).position, 0u);
    EXPECT_EQ(i.lookup(110).position, 4000u);
    EXPECT_EQ(i.lookup(119).position, 4000u);
    EXPECT_EQ(i.lookup(1000).position, 12000u);
    EXPECT_EQ(i.lookup_position(8001).offset, 120);
    EXPECT_EQ(i.lookup_position(7999).offset, 110);
}

TEST(offset_index, flush_writes_kafka_format_and_reloads) {
    temp_dir d;
    auto path = d.path() / "00000000000000000100.index";
    {
        auto idx = offset_index::open(path, 100);
        ASSERT_TRUE(idx);
        (*idx)->append(110, 4000);
        (*idx)->append(120, 8000);
        ASSERT_TRUE((*idx)->flush());
        (*idx)->append(130, 12000);
        ASSERT_TRUE((*idx)->flush());
    }
    EXPECT_EQ(std::filesystem::file_size(path), 24u);
    // Relative offset 10, position 4000, big-endian.
    std::vector<uint8_t> raw(8);
    int fd = ::open(path.c_str(), O_RDONLY);
    ASSERT_EQ(::read(fd, raw.data(), 8), 8);
    ::close(fd);
    EXPECT_EQ(be::load32(raw.data()), 10u);
    EXPECT_EQ(be::load32(raw.data() + 4), 4000u);

    auto idx = offset_index::open(path, 100);
    ASSERT_TRUE(idx);
    EXPECT_FALSE((*idx)->corrupt());
    EXPECT_EQ((*idx)->entries(), 3u);
    EXPECT_EQ((*idx)->lookup(125).position, 8000u);
    EXPECT_TRUE((*idx)->consistent_with(20000, 140));
    EXPECT_FALSE((*idx)->consistent_with(12000, 140)); // entry at the log end
    EXPECT_FALSE((*idx)->consistent_with(20000, 130)); // entry beyond the last offset
}

TEST(offset_index, truncate_drops_entries_in_memory_and_on_disk) {
    temp_dir d;
    auto path = d.path() / "00000000000000000000.index";
    auto idx = offset_index::open(path, 0);
    ASSERT_TRUE(idx);
    for (int i = 1; i <= 5; ++i)
        (*idx)->append(i * 10, uint32_t(i * 1000));
    ASSERT_TRUE((*idx)->flush());
    ASSERT_TRUE((*idx)->truncate_to(30));
    EXPECT_EQ((*idx)->entries(), 2u);
    EXPECT_EQ((*idx)->lookup(45).offset, 20);
    EXPECT_EQ(std::filesystem::file_size(path), 16u);
    (*idx)->append(25, 2500);
    ASSERT_TRUE((*idx)->flush());
    auto again = offset_index::open(path, 0);
    ASSERT_TRUE(again);
    EXPECT_EQ((*again)->entries(), 3u);
    EXPECT_EQ((*again)->lookup(100).position, 2500u);
}

TEST(offset_index, malformed_files_load_as_corrupt) {
    temp_dir d;
    auto path = d.path() / "00000000000000000000.index";
    {
        auto idx = offset_index::open(path, 0);
        ASSERT_TRUE(idx);
        (*idx)->append(10, 1000);
        (*idx)->append(20, 2000);
        ASSERT_TRUE((*idx)->flush());
    }
    std::filesystem::resize_file(path, 13);
    auto odd = offset_index::open(path, 0);
    ASSERT_TRUE(odd);
    EXPECT_TRUE((*odd)->corrupt());
    EXPECT_FALSE((*odd)->consistent_with(1 << 20, 1000));

    // Second entry going backwards.
    std::filesystem::resize_file(path, 16);
    uint8_t back[8];
    be::store32(back, 5);
    be::store32(back + 4, 500);
    int fd = ::open(path.c_str(), O_WRONLY);
    ASSERT_EQ(::pwrite(fd, back, 8, 8), 8);
    ::close(fd);
    auto bad = offset_index::open(path, 0);
    ASSERT_TRUE(bad);
    EXPECT_TRUE((*bad)->corrupt());
    EXPECT_EQ((*bad)->entries(), 0u);
}

} // namespace
} // namespace strata::storage
