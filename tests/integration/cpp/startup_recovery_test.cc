// Start-up recovery of the real binary: a segment torn mid-batch, garbage
// after the last batch, and deleted or corrupt index files. After a restart
// every intact batch is served with a valid CRC, fetches from the middle
// find the right batch, and new writes continue right after the last intact
// record (no offset reused, none skipped).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>

#include "broker_process.h"
#include "partition_io.h"
#include "raw_client.h"
#include "strata/storage/batch_builder.h"

namespace strata::test {
namespace {

namespace fs = std::filesystem;

constexpr int batches = 20;
constexpr int records_per_batch = 5;
constexpr int all_records = batches * records_per_batch;

class startup_recovery : public ::testing::Test {
protected:
    void SetUp() override {
        // A small index interval, so the offset index has entries to get wrong.
        broker = std::make_unique<broker_process>(std::vector<std::string>{"log.index.interval.bytes=256"});
        client = std::make_unique<raw_client>(broker->port());
        ASSERT_EQ(create_topic(*client, "rec"), 0);
        for (int i = 0; i < batches; ++i) ASSERT_EQ(produce(records_per_batch), i * records_per_batch);
    }

    fs::path segment(const char* ext) const {
        return fs::path(broker->data_dir()) / "rec-0" / (std::string("00000000000000000000") + ext);
    }

    void restart() {
        client.reset();
        broker->start();
        client = std::make_unique<raw_client>(broker->port());
    }

    // Produces one batch of `n` records with acks=all; its base offset, or -1.
    int64_t produce(int n) {
        storage::batch_builder b;
        const std::string value(40, 'v');
        for (int i = 0; i < n; ++i) b.add({std::nullopt, storage::bytes_of(value), 1700000000000 + i, {}});
        auto p = produce_batch(*client, "rec", *b.build());
        return p.error == 0 ? p.base_offset : -1;
    }

    // After recovery: `expected` records survive, readable whole and from the
    // middle, and the next write takes offset `expected`.
    void expect_recovered_to(int64_t expected) {
        auto all = read_partition(*client, "rec");
        EXPECT_TRUE(all.valid);
        EXPECT_EQ(all.high_watermark, expected);
        EXPECT_EQ(all.first_offset, 0);
        EXPECT_EQ(int64_t(all.records.size()), expected);  // every offset from 0 exactly once
        for (int64_t at : {int64_t(7), int64_t(50), expected - 1}) {
            auto mid = read_partition(*client, "rec", at);
            EXPECT_TRUE(mid.valid) << "from " << at;
            EXPECT_EQ(mid.first_offset, at - at % records_per_batch) << "from " << at;
        }
        EXPECT_EQ(produce(3), expected);
        auto after = read_partition(*client, "rec", expected);
        EXPECT_TRUE(after.valid);
        EXPECT_EQ(after.first_offset, expected);
        EXPECT_EQ(after.records.size(), 3u);
    }

    std::unique_ptr<broker_process> broker;
    std::unique_ptr<raw_client> client;
};

TEST_F(startup_recovery, segment_torn_mid_batch_is_truncated_to_the_last_whole_batch) {
    broker->kill9();
    auto log = segment(".log");
    fs::resize_file(log, fs::file_size(log) - 17);
    restart();
    expect_recovered_to(all_records - records_per_batch);
}

TEST_F(startup_recovery, garbage_after_the_last_batch_is_dropped) {
    broker->kill9();
    {
        std::ofstream out(segment(".log"), std::ios::binary | std::ios::app);
        for (int i = 0; i < 300; ++i) out.put(char(i * 37 + 11));
    }
    restart();
    expect_recovered_to(all_records);
}

TEST_F(startup_recovery, torn_batch_followed_by_garbage_is_dropped) {
    broker->kill9();
    auto log = segment(".log");
    fs::resize_file(log, fs::file_size(log) - 40);
    {
        std::ofstream out(log, std::ios::binary | std::ios::app);
        for (int i = 0; i < 100; ++i) out.put(char(0xff));
    }
    restart();
    expect_recovered_to(all_records - records_per_batch);
}

TEST_F(startup_recovery, deleted_index_files_are_rebuilt) {
    for (bool clean : {true, false}) {
        SCOPED_TRACE(clean ? "after a clean stop" : "after kill -9");
        if (clean) ASSERT_EQ(broker->stop(), 0);
        else broker->kill9();
        fs::remove(segment(".index"));
        fs::remove(segment(".timeindex"));
        restart();
        expect_recovered_to(all_records + (clean ? 0 : 3));
    }
}

TEST_F(startup_recovery, corrupt_index_files_are_rebuilt) {
    for (bool clean : {true, false}) {
        SCOPED_TRACE(clean ? "after a clean stop" : "after kill -9");
        if (clean) ASSERT_EQ(broker->stop(), 0);
        else broker->kill9();
        for (const char* ext : {".index", ".timeindex"}) {
            std::fstream f(segment(ext), std::ios::binary | std::ios::in | std::ios::out);
            for (int i = 0; i < 64; ++i) f.put(char(0xa5 ^ i));
        }
        restart();
        expect_recovered_to(all_records + (clean ? 0 : 3));
    }
}

} // namespace
} // namespace strata::test
