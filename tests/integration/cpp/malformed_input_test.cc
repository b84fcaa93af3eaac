// Hostile bytes over a real socket: every malformed frame, request and batch
// from issue 6's list gets Kafka's error code or a close of that connection
// only. A bystander client produces and consumes between the cases, and the
// broker's memory stays flat while the whole list is repeated.

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "broker_process.h"
#include "partition_io.h"
#include "raw_client.h"
#include "strata/base/crc32c.h"
#include "strata/kafka/protocol/errors.h"
#include "strata/kafka/protocol/messages/api_versions.h"
#include "strata/kafka/protocol/messages/produce.h"
#include "strata/storage/batch_builder.h"

namespace strata::test {
namespace {

using namespace strata::kafka;
using storage::compression_type;
namespace field = storage::batch_field;

constexpr uint32_t max_request_bytes = 64 * 1024;

std::vector<uint8_t> batch(int records, compression_type codec = compression_type::none) {
    storage::batch_options opts;
    opts.compression = codec;
    storage::batch_builder b(opts);
    static const std::string value = "a value that compresses a value that compresses";
    for (int i = 0; i < records; ++i) b.add({std::nullopt, storage::bytes_of(value), 1700000000000 + i, {}});
    return *b.build();
}

// Rewrites the CRC after a deliberate edit, so only the edit is wrong.
void fix_crc(std::vector<uint8_t>& b) {
    storage::be::store32(b.data() + field::crc,
                         crc32c({b.data() + storage::batch_crc_start, b.size() - storage::batch_crc_start}));
}

std::vector<uint8_t> frame_of_size(int32_t size) {
    return {uint8_t(uint32_t(size) >> 24), uint8_t(uint32_t(size) >> 16), uint8_t(uint32_t(size) >> 8),
            uint8_t(size)};
}

// A request header (v1) for `key`/`version`, to be followed by hand-made body bytes.
writer header(int16_t key, int16_t version) {
    writer w;
    msg::request_header h;
    h.request_api_key = key;
    h.request_api_version = version;
    h.correlation_id = 5;
    h.client_id = "hostile";
    h.encode(w, 1);
    return w;
}

class malformed_input : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        broker = new broker_process({"socket.request.max.bytes=" + std::to_string(max_request_bytes)});
        raw_client admin(broker->port());
        for (const char* name : {"victim", "bystander"}) ASSERT_EQ(create_topic(admin, name), 0);
        bystander = new raw_client(broker->port());
    }
    static void TearDownTestSuite() {
        delete bystander;
        delete broker;
    }

    // The partition's error code, or -100 when the connection closed instead of answering.
    static int16_t produce(raw_client& c, const std::string& topic, std::vector<uint8_t>& bytes) {
        return produce_batch(c, topic, bytes).error;
    }

    // The bystander's connection, open across every case, still produces a
    // record and reads it back at the offset it was given.
    static void bystander_still_served() {
        auto p = produce_batch(*bystander, "bystander", batch(1));
        ASSERT_EQ(p.error, 0) << "the bystander's produce failed (-100: its connection was closed)";
        auto got = read_partition(*bystander, "bystander", p.base_offset);
        ASSERT_TRUE(got.valid);
        EXPECT_EQ(got.high_watermark, p.base_offset + 1);
        ASSERT_FALSE(got.records.empty());
        EXPECT_EQ(got.records.back().offset, p.base_offset);
    }

    // Runs `bad_case` on a fresh connection, then checks the bystander.
    void expect_isolated(const std::function<void(raw_client&)>& bad_case) {
        {
            raw_client hostile(broker->port());
            bad_case(hostile);
        }
        bystander_still_served();
    }

    static inline broker_process* broker = nullptr;
    static inline raw_client* bystander = nullptr;
};

// ---- frames ---------------------------------------------------------------------------

TEST_F(malformed_input, zero_length_frame_closes_the_connection) {
    expect_isolated([](raw_client& c) {
        c.send_raw(frame_of_size(0));
        EXPECT_TRUE(c.closed_by_peer());
    });
}

TEST_F(malformed_input, negative_frame_length_closes_the_connection) {
    expect_isolated([](raw_client& c) {
        c.send_raw(frame_of_size(-1));
        EXPECT_TRUE(c.closed_by_peer());
    });
}

TEST_F(malformed_input, frame_over_socket_request_max_bytes_closes_the_connection) {
    expect_isolated([](raw_client& c) {
        c.send_raw(frame_of_size(int32_t(max_request_bytes) + 1));
        EXPECT_TRUE(c.closed_by_peer());
    });
    // A request just under the limit is served.
    expect_isolated([](raw_client& c) {
        // One record whose value fills most of the allowed frame.
        storage::batch_builder b;
        std::string value(max_request_bytes - 400, 'x');
        b.add({std::nullopt, storage::bytes_of(value), 1700000000000, {}});
        auto padded = *b.build();
        EXPECT_EQ(produce(c, "victim", padded), 0);
    });
}

TEST_F(malformed_input, frame_shorter_than_a_header_closes_the_connection) {
    expect_isolated([](raw_client& c) {
        c.send_frame({0, 18, 0});
        EXPECT_TRUE(c.closed_by_peer());
    });
}

TEST_F(malformed_input, frame_cut_off_by_a_disconnect_leaves_the_broker_serving) {
    expect_isolated([](raw_client& c) {
        auto w = header(msg::api_versions_request::kafka_api_key, 0);
        auto bytes = frame_of_size(int32_t(w.buffer().size()) + 100);
        bytes.insert(bytes.end(), w.buffer().begin(), w.buffer().end());
        c.send_raw(bytes);  // 100 bytes never follow; the destructor disconnects
    });
}

// ---- requests -------------------------------------------------------------------------

TEST_F(malformed_input, request_truncated_inside_its_frame_closes_the_connection) {
    expect_isolated([](raw_client& c) {
        auto b = batch(3);
        msg::produce_request req;
        req.acks = -1;
        req.timeout_ms = 1000;
        auto& t = req.topic_data.emplace_back();
        t.name = "victim";
        t.partition_data.push_back({0, records::view(b)});
        writer w = header(0, 7);
        req.encode(w, 7);
        auto bytes = w.buffer();
        bytes.resize(bytes.size() - 20);  // the records field says more than is left
        c.send_frame(bytes);
        EXPECT_TRUE(c.closed_by_peer());
    });
}

TEST_F(malformed_input, unknown_api_key_closes_the_connection) {
    expect_isolated([](raw_client& c) {
        c.send_frame(header(-3, 0).buffer());
        EXPECT_TRUE(c.closed_by_peer());
    });
}

TEST_F(malformed_input, unsupported_version_closes_the_connection) {
    expect_isolated([](raw_client& c) {
        c.send_frame(header(0, 99).buffer());  // Produce v99
        EXPECT_TRUE(c.closed_by_peer());
    });
    expect_isolated([](raw_client& c) {
        c.send_frame(header(3, -1).buffer());  // Metadata v-1
        EXPECT_TRUE(c.closed_by_peer());
    });
}

TEST_F(malformed_input, negative_array_length_closes_the_connection) {
    expect_isolated([](raw_client& c) {
        writer w = header(0, 7);
        w.write_int16(-1);    // transactional_id: null
        w.write_int16(-1);    // acks
        w.write_int32(1000);  // timeout_ms
        w.write_int32(-5);    // topic_data: a negative count that is not null (-1)
        c.send_frame(w.buffer());
        EXPECT_TRUE(c.closed_by_peer());
    });
    expect_isolated([](raw_client& c) {
        writer w = header(0, 7);
        w.write_int16(-1);
        w.write_int16(-1);
        w.write_int32(1000);
        w.write_int32(-1);    // topic_data is not nullable
        c.send_frame(w.buffer());
        EXPECT_TRUE(c.closed_by_peer());
    });
}

TEST_F(malformed_input, negative_string_length_closes_the_connection) {
    expect_isolated([](raw_client& c) {
        writer w = header(0, 7);
        w.write_int16(-7);    // transactional_id: only -1 (null) may be negative
        w.write_int16(-1);
        w.write_int32(1000);
        w.write_int32(0);
        c.send_frame(w.buffer());
        EXPECT_TRUE(c.closed_by_peer());
    });
    expect_isolated([](raw_client& c) {
        writer w = header(0, 7);
        w.write_int16(-1);
        w.write_int16(-1);
        w.write_int32(1000);
        w.write_int32(1);     // one topic
        w.write_int16(-1);    // whose name, not nullable, is null
        w.write_int32(0);
        c.send_frame(w.buffer());
        EXPECT_TRUE(c.closed_by_peer());
    });
    expect_isolated([](raw_client& c) {
        writer w = header(0, 7);
        w.write_int16(-1);
        w.write_int16(-1);
        w.write_int32(1000);
        w.write_int32(1);
        w.write_int16(6);
        for (char ch : std::string("victim")) w.write_int8(int8_t(ch));
        w.write_int32(1);     // one partition
        w.write_int32(0);
        w.write_int32(-9);    // records: a negative length
        c.send_frame(w.buffer());
        EXPECT_TRUE(c.closed_by_peer());
    });
}

// ---- batches --------------------------------------------------------------------------

TEST_F(malformed_input, wrong_crc_is_corrupt_message) {
    expect_isolated([](raw_client& c) {
        auto b = batch(3);
        b[b.size() - 2] ^= 0x5a;
        EXPECT_EQ(produce(c, "victim", b), code(error_code::corrupt_message));
        auto good = batch(1);
        EXPECT_EQ(produce(c, "victim", good), 0);  // the same connection goes on
    });
}

TEST_F(malformed_input, bad_magic_gets_kafkas_errors) {
    expect_isolated([](raw_client& c) {
        // An older format is not allowed in Produce v3+: INVALID_RECORD.
        for (uint8_t magic : {0, 1}) {
            auto b = batch(3);
            b[field::magic] = magic;
            fix_crc(b);
            EXPECT_EQ(produce(c, "victim", b), code(error_code::invalid_record)) << "magic " << int(magic);
        }
        // No format at all (Kafka's "Invalid magic found in record"): CORRUPT_MESSAGE.
        for (uint8_t magic : {3, 0xff}) {
            auto b = batch(3);
            b[field::magic] = magic;
            fix_crc(b);
            EXPECT_EQ(produce(c, "victim", b), code(error_code::corrupt_message)) << "magic " << int(magic);
        }
    });
}

TEST_F(malformed_input, record_count_lies_are_invalid_record) {
    expect_isolated([](raw_client& c) {
        // Kafka's LogValidator: a count <= 0, or one that disagrees with last_offset_delta.
        for (int32_t count : {5, 2, 0, -1, 0x7fffffff}) {
            auto b = batch(3);
            storage::be::store32(b.data() + field::records_count, uint32_t(count));
            fix_crc(b);
            EXPECT_EQ(produce(c, "victim", b), code(error_code::invalid_record)) << "records_count " << count;
        }
        // The count agrees with last_offset_delta but not with the records:
        // Kafka's record iterator reaches the end early.
        auto b = batch(3);
        storage::be::store32(b.data() + field::records_count, 4);
        storage::be::store32(b.data() + field::last_offset_delta, 3);
        fix_crc(b);
        EXPECT_EQ(produce(c, "victim", b), code(error_code::invalid_record));
    });
}

TEST_F(malformed_input, batch_and_record_length_lies_get_kafkas_errors) {
    expect_isolated([](raw_client& c) {
        // 12 bytes more than sent: Kafka finds no whole batch, INVALID_RECORD.
        auto b = batch(3);
        storage::be::store32(b.data() + field::batch_length, uint32_t(b.size()));
        EXPECT_EQ(produce(c, "victim", b), code(error_code::invalid_record));
        // Less than a v2 header, and less than any format's: CORRUPT_MESSAGE.
        for (uint32_t length : {20, 10}) {
            auto short_len = batch(3);
            storage::be::store32(short_len.data() + field::batch_length, length);
            EXPECT_EQ(produce(c, "victim", short_len), code(error_code::corrupt_message)) << "batch_length " << length;
        }
        // The first record's length varint (zigzag) grows by 3 bytes: it runs
        // into the next record, which Kafka's DefaultRecord calls INVALID_RECORD.
        auto rec = batch(3);
        rec[storage::batch_header_size] += 6;
        fix_crc(rec);
        EXPECT_EQ(produce(c, "victim", rec), code(error_code::invalid_record));
    });
}

// Kafka answers these with UNKNOWN_SERVER_ERROR (its decompressor's exception
// is not one it maps); CORRUPT_MESSAGE says what is wrong.
TEST_F(malformed_input, garbage_compressed_payloads_are_corrupt_message) {
    expect_isolated([](raw_client& c) {
        for (auto codec : {compression_type::gzip, compression_type::snappy, compression_type::lz4,
                           compression_type::zstd}) {
            auto b = batch(20, codec);
            for (size_t i = storage::batch_header_size; i < b.size(); ++i) b[i] = uint8_t(i * 131 + 7);
            fix_crc(b);
            EXPECT_EQ(produce(c, "victim", b), code(error_code::corrupt_message)) << "codec " << int(codec);
            // Valid compressed bytes cut in half.
            auto cut = batch(20, codec);
            size_t keep = storage::batch_header_size + (cut.size() - storage::batch_header_size) / 2;
            cut.resize(keep);
            storage::be::store32(cut.data() + field::batch_length, uint32_t(keep - storage::batch_length_prefix));
            fix_crc(cut);
            EXPECT_EQ(produce(c, "victim", cut), code(error_code::corrupt_message)) << "codec " << int(codec);
        }
    });
}

TEST_F(malformed_input, every_case_repeated_keeps_memory_flat) {
    // Runs the whole list (through gtest's own repetition would restart the
    // broker) 30 times against the shared broker and compares RSS after the
    // first and the last round.
    std::vector<std::function<void(raw_client&)>> cases = {
        [](raw_client& c) { c.send_raw(frame_of_size(0)); },
        [](raw_client& c) { c.send_raw(frame_of_size(int32_t(max_request_bytes) + 1)); },
        [](raw_client& c) { c.send_frame(header(0, 99).buffer()); },
        [](raw_client& c) {
            auto b = batch(50, compression_type::zstd);
            for (size_t i = storage::batch_header_size; i < b.size(); ++i) b[i] ^= 0x33;
            fix_crc(b);
            produce(c, "victim", b);
        },
        [](raw_client& c) {
            auto b = batch(50);
            storage::be::store32(b.data() + field::records_count, 0x7fffffff);
            fix_crc(b);
            produce(c, "victim", b);
        },
    };
    long first = 0;
    for (int round = 0; round < 30; ++round) {
        for (auto& c : cases) expect_isolated(c);
        if (round == 0) first = broker->rss_kib();
    }
    long last = broker->rss_kib();
    ASSERT_GT(first, 0);
    EXPECT_LT(last - first, 16 * 1024) << "RSS grew from " << first << " KiB to " << last << " KiB";
}

} // namespace
} // namespace strata::test
