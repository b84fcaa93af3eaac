#include "strata/storage/log_manager.h"

#include <gtest/gtest.h>

#include "test_batches.h"

namespace strata::storage {
namespace {

using testing::make_batch;
using testing::temp_dir;

topic_partition tp(std::string topic, int32_t p) {
    return topic_partition{std::move(topic), partition_id(p)};
}

TEST(log_manager, dir_names_split_at_the_last_dash) {
    EXPECT_EQ(log_manager::dir_name(tp("my-topic.v2", 7)), "my-topic.v2-7");
    auto parsed = log_manager::parse_dir_name("my-topic.v2-7");
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->topic, "my-topic.v2");
    EXPECT_EQ(parsed->partition, partition_id(7));
    EXPECT_FALSE(log_manager::parse_dir_name("nodash"));
    EXPECT_FALSE(log_manager::parse_dir_name("-3"));
    EXPECT_FALSE(log_manager::parse_dir_name("topic-"));
    EXPECT_FALSE(log_manager::parse_dir_name("topic-x1"));
}

TEST(log_manager, create_get_close_and_reopen) {
    temp_dir d;
    {
        log_manager m(d.path(), {});
        ASSERT_TRUE(m.open_all(0));
        EXPECT_FALSE(m.last_shutdown_clean()); // a brand-new dir has no marker
        auto l = m.create(tp("a-b", 0), {}, 0);
        ASSERT_TRUE(l);
        auto b = make_batch({.records = 4});
        ASSERT_TRUE((*l)->append(b, 0, 0));
        ASSERT_TRUE(m.create(tp("a-b", 1), {}, 0));
        ASSERT_TRUE(m.create(tp("c", 0), {}, 0));
        EXPECT_EQ(m.get(tp("a-b", 0)), *l);
        EXPECT_EQ(m.get(tp("zzz", 0)), nullptr);
        EXPECT_TRUE(std::filesystem::is_directory(d.path() / "a-b-0"));
        ASSERT_TRUE(m.close_all());
        EXPECT_TRUE(std::filesystem::exists(d.path() / log_manager::clean_shutdown_file));
    }
    log_manager m(d.path(), {});
    ASSERT_TRUE(m.open_all(0));
    EXPECT_TRUE(m.last_shutdown_clean());
    // The marker is gone while running, so a crash now would read as unclean.
    EXPECT_FALSE(std::filesystem::exists(d.path() / log_manager::clean_shutdown_file));
    EXPECT_EQ(m.size(), 3u);
    auto* l = m.get(tp("a-b", 0));
    ASSERT_NE(l, nullptr);
    EXPECT_EQ(l->log_end_offset(), 4);
}

TEST(log_manager, config_lookup_applies_per_partition) {
    temp_dir d;
    {
        log_manager m(d.path(), {});
        ASSERT_TRUE(m.open_all(0));
        ASSERT_TRUE(m.create(tp("t", 0), {}, 0));
        ASSERT_TRUE(m.close_all());
    }
    log_manager m(d.path(), {});
    ASSERT_TRUE(m.open_all(0, [](const topic_partition&) { return log_config{.retention_ms = 42}; }));
    EXPECT_EQ(m.get(tp("t", 0))->config().retention_ms, 42);
}

TEST(log_manager, remove_renames_then_deletes) {
    temp_dir d;
    log_manager m(d.path(), {});
    ASSERT_TRUE(m.open_all(0));
    auto l = m.create(tp("gone", 0), {}, 0);
    ASSERT_TRUE(l);
    auto b = make_batch({});
    ASSERT_TRUE((*l)->append(b, 0, 0));
    auto rr = (*l)->read(0, 1 << 20, INT64_MAX);
    ASSERT_TRUE(rr);
    auto slice = rr->slice;
    ASSERT_TRUE(m.create(tp("gone", 1), {}, 0));
    ASSERT_TRUE(m.create(tp("kept", 0), {}, 0));
    auto n = m.remove("gone");
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 2u);
    EXPECT_EQ(m.get(tp("gone", 0)), nullptr);
    EXPECT_NE(m.get(tp("kept", 0)), nullptr);
    size_t entries = 0;
    for (const auto& de : std::filesystem::directory_iterator(d.path()))
        entries += de.is_directory();
    EXPECT_EQ(entries, 1u);
    // An in-flight fetch still reads its bytes.
    std::vector<uint8_t> bytes(slice.size);
    auto got = slice.file->pread(bytes, slice.position);
    ASSERT_TRUE(got);
    EXPECT_EQ(*got, b.size());
}

TEST(log_manager, leftover_delete_dirs_are_removed_and_unclean_logs_recovered) {
    temp_dir d;
    std::filesystem::create_directories(d.path() / "old-0.0123abcd-delete");
    std::filesystem::create_directories(d.path() / "not a log");
    {
        log_manager m(d.path(), {});
        ASSERT_TRUE(m.open_all(0));
        auto l = m.create(tp("t", 0), {}, 0);
        ASSERT_TRUE(l);
        auto b = make_batch({.records = 2});
        ASSERT_TRUE((*l)->append(b, 0, 0));
        ASSERT_TRUE((*l)->close());
        // No close_all(): as after a crash. Garbage at the tail must go.
        std::vector<uint8_t> junk(100, 0xab);
        auto f = segment_file::open(d.path() / "t-0" / "00000000000000000000.log", false);
        ASSERT_TRUE(f);
        ASSERT_TRUE((*f)->append(junk));
    }
    log_manager m(d.path(), {});
    ASSERT_TRUE(m.open_all(0));
    EXPECT_FALSE(m.last_shutdown_clean());
    EXPECT_FALSE(std::filesystem::exists(d.path() / "old-0.0123abcd-delete"));
    EXPECT_EQ(m.size(), 1u);
    auto* l = m.get(tp("t", 0));
    ASSERT_NE(l, nullptr);
    EXPECT_EQ(l->log_end_offset(), 2);
    EXPECT_EQ(l->size_bytes(), make_batch({.records = 2}).size());
}

} // namespace
} // namespace strata::storage
