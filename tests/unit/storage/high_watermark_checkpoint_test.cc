// The log dir's high-watermark checkpoint: written and read back in Kafka's
// replication-offset-checkpoint format, a torn or foreign file ignored, and
// log_manager handing each log's value out once.

#include "strata/storage/high_watermark_checkpoint.h"

#include <gtest/gtest.h>

#include <fstream>

#include "strata/storage/log_manager.h"
#include "test_batches.h"

namespace strata::storage {
namespace {

using testing::make_batch;
using testing::temp_dir;

topic_partition tp(std::string topic, int32_t p) { return topic_partition{std::move(topic), partition_id(p)}; }

std::string file_text(const std::filesystem::path& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), {}};
}

TEST(high_watermark_checkpoint, is_written_in_kafkas_format_and_read_back) {
    temp_dir d;
    const auto path = d.path() / high_watermark_file;
    const high_watermarks marks{{tp("orders", 0), 120}, {tp("orders", 1), 0}, {tp("a.b-c", 7), 9}};
    ASSERT_TRUE(write_high_watermarks(path, marks));
    EXPECT_EQ(file_text(path), "0\n3\na.b-c 7 9\norders 0 120\norders 1 0\n");
    EXPECT_EQ(read_high_watermarks(path), marks);
    ASSERT_TRUE(write_high_watermarks(path, {}));
    EXPECT_TRUE(read_high_watermarks(path).empty());
}

TEST(high_watermark_checkpoint, a_missing_or_malformed_file_reads_as_none) {
    temp_dir d;
    const auto path = d.path() / high_watermark_file;
    EXPECT_TRUE(read_high_watermarks(path).empty());
    for (const char* text : {"", "1\n1\nt 0 5\n", "0\n2\nt 0 5\n", "0\n1\nt 0 5\nu 1 6\n", "0\n1\nt x 5\n",
                             "0\n1\nt 0 -3\n", "0\n-1\n"}) {
        std::ofstream(path, std::ios::trunc) << text;
        EXPECT_TRUE(read_high_watermarks(path).empty()) << text;
    }
}

TEST(high_watermark_checkpoint, the_log_manager_hands_each_logs_value_out_once) {
    temp_dir d;
    {
        log_manager m(d.path(), {});
        ASSERT_TRUE(m.open_all(0));
        EXPECT_EQ(m.take_checkpointed_high_watermark(tp("t", 0)), -1) << "a new log dir has none";
        auto l = m.create(tp("t", 0), {}, 0);
        ASSERT_TRUE(l);
        auto b = make_batch({.records = 10});
        ASSERT_TRUE((*l)->append(b, 0, 0));
        ASSERT_TRUE(m.checkpoint_high_watermarks({{tp("t", 0), 7}}));
        ASSERT_TRUE(m.close_all());
    }
    log_manager m(d.path(), {});
    ASSERT_TRUE(m.open_all(0));
    EXPECT_EQ(m.size(), 1u) << "the checkpoint file is not taken for a log";
    EXPECT_EQ(m.take_checkpointed_high_watermark(tp("t", 0)), 7);
    EXPECT_EQ(m.take_checkpointed_high_watermark(tp("t", 0)), -1) << "only the replica that opened it starts from it";
    // An unchanged checkpoint is not written again; a changed one is.
    std::filesystem::remove(d.path() / high_watermark_file);
    ASSERT_TRUE(m.checkpoint_high_watermarks({{tp("t", 0), 7}}));
    EXPECT_FALSE(std::filesystem::exists(d.path() / high_watermark_file));
    ASSERT_TRUE(m.checkpoint_high_watermarks({{tp("t", 0), 10}}));
    EXPECT_EQ(read_high_watermarks(d.path() / high_watermark_file), (high_watermarks{{tp("t", 0), 10}}));
}

} // namespace
} // namespace strata::storage
