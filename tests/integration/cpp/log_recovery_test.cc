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
#include "raw_client.h"
#include "strata/kafka/protocol/messages/create_topics.h"
#include "strata/kafka/protocol/messages/fetch.h"
#include "strata/kafka/protocol/messages/headers.h"
#include "strata/kafka/protocol/messages/produce.h"
#include "strata/storage/batch_builder.h"
#include "strata/storage/batch_validator.h"

namespace strata::test {
namespace {

using namespace strata::kafka;
namespace fs = std::filesystem;

constexpr int batches = 20;
constexpr int records_per_batch = 5;
constexpr int all_records = batches * records_per_batch;

class log_recovery : public ::testing::Test {
protected:
    void SetUp() override {
        // A small index interval, so the offset index has entries to get wrong.
        broker = std::make_unique<broker_process>(std::vector<std::string>{"log.index.interval.bytes=256"});
        client = std::make_unique<raw_client>(broker->port());
        msg::create_topics_request req;
        auto& t = req.topics.emplace_back();
        t.name = "rec";
        t.num_partitions = 1;
        t.replication_factor = 1;
        client->send(req, 7);
        auto resp = client->receive<msg::create_topics_response>(7);
        ASSERT_TRUE(resp);
        ASSERT_EQ(resp->topics.at(0).error_code, 0);
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
        auto bytes = *b.build();
        msg::produce_request req;
        req.acks = -1;
        req.timeout_ms = 5000;
        auto& t = req.topic_data.emplace_back();
        t.name = "rec";
        t.partition_data.push_back({0, records::view(bytes)});
        client->send(req, 9);
        auto resp = client->receive<msg::produce_response>(9);
        if (!resp) return -1;
        const auto& p = resp->responses.at(0).partition_responses.at(0);
        return p.error_code == 0 ? p.base_offset : -1;
    }

    struct fetched {
        int64_t high_watermark = -1;
        int64_t first_offset = -1;
        int64_t records = 0;
        bool valid = false;  // CRCs and record framing verified
    };

    // Fetches from `offset` to the end (one fetch returns at most one
    // segment's worth, so it may take several) and validates what comes back
    // as stored batches: CRC-32C, lengths, record counts, contiguous offsets.
    fetched fetch_from(int64_t offset) {
        fetched out;
        int64_t next = offset;
        for (int round = 0; round < 100; ++round) {
            msg::fetch_request f;
            f.max_wait_ms = 0;
            f.min_bytes = 1;
            f.max_bytes = 16 << 20;
            auto& ft = f.topics.emplace_back();
            ft.topic = "rec";
            auto& fp = ft.partitions.emplace_back();
            fp.fetch_offset = next;
            fp.partition_max_bytes = 16 << 20;
            client->send(f, 12);
            auto frame = client->receive_frame();  // kept alive: the records are a view into it
            if (!frame) return {};
            reader r(*frame);
            msg::response_header h;
            h.decode(r, 1);
            msg::fetch_response resp;
            resp.decode(r, 12);
            if (!r.ok()) return {};
            const auto& p = resp.responses.at(0).partitions.at(0);
            out.high_watermark = p.high_watermark;
            auto bytes = p.records.bytes();
            storage::validation_limits limits;
            limits.deep = true;
            limits.client_origin = false;
            auto summary = storage::validate_batches(bytes, limits);
            if (!summary) return out;  // valid stays false
            if (summary->empty()) break;
            for (size_t i = 0; i < summary->size(); ++i) {
                const auto& b = (*summary)[i];
                // The first batch may start before `offset`; later ones follow on.
                if (out.first_offset < 0) out.first_offset = b.base_offset;
                else if (b.base_offset != next) return out;
                next = b.base_offset + b.last_offset_delta + 1;
                out.records += b.records_count;
            }
            if (next >= p.high_watermark) break;
        }
        out.valid = true;
        return out;
    }

    // After recovery: `expected` records survive, readable whole and from the
    // middle, and the next write takes offset `expected`.
    void expect_recovered_to(int64_t expected) {
        auto all = fetch_from(0);
        EXPECT_TRUE(all.valid);
        EXPECT_EQ(all.high_watermark, expected);
        EXPECT_EQ(all.first_offset, 0);
        EXPECT_EQ(all.records, expected);  // every offset from 0 exactly once
        for (int64_t at : {int64_t(7), int64_t(50), expected - 1}) {
            auto mid = fetch_from(at);
            EXPECT_TRUE(mid.valid) << "from " << at;
            EXPECT_EQ(mid.first_offset, at - at % records_per_batch) << "from " << at;
        }
        EXPECT_EQ(produce(3), expected);
        auto after = fetch_from(expected);
        EXPECT_TRUE(after.valid);
        EXPECT_EQ(after.first_offset, expected);
        EXPECT_EQ(after.records, 3);
    }

    std::unique_ptr<broker_process> broker;
    std::unique_ptr<raw_client> client;
};

TEST_F(log_recovery, segment_torn_mid_batch_is_truncated_to_the_last_whole_batch) {
    broker->kill9();
    auto log = segment(".log");
    fs::resize_file(log, fs::file_size(log) - 17);
    restart();
    expect_recovered_to(all_records - records_per_batch);
}

TEST_F(log_recovery, garbage_after_the_last_batch_is_dropped) {
    broker->kill9();
    {
        std::ofstream out(segment(".log"), std::ios::binary | std::ios::app);
        for (int i = 0; i < 300; ++i) out.put(char(i * 37 + 11));
    }
    restart();
    expect_recovered_to(all_records);
}

TEST_F(log_recovery, torn_batch_followed_by_garbage_is_dropped) {
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

TEST_F(log_recovery, deleted_index_files_are_rebuilt) {
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

TEST_F(log_recovery, corrupt_index_files_are_rebuilt) {
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
