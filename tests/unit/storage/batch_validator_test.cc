#include "strata/storage/batch_validator.h"

#include <gtest/gtest.h>

#include "strata/base/crc32c.h"
#include "strata/storage/batch_builder.h"

namespace strata::storage {
namespace {

// Built by kafka-python's DefaultRecordBatchBuilder, an independent client
// implementation: gzip, producer id 4242, epoch 3, base sequence 17, records
//   ts 1700000000000, key "key-0", value 300 x 'a', header h1="v1"
//   ts 1699999999000, null key,    value 300 x 'b'
//   ts 1700000000500, key "key-2", null value,      header h2=null
const uint8_t golden_batch_gzip_idempotent[] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x7a,
    0x00, 0x00, 0x00, 0x00, 0x02, 0x89, 0x36, 0x73, 0x7e, 0x00, 0x01, 0x00,
    0x00, 0x00, 0x02, 0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00, 0x00,
    0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x69, 0xf4, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x10, 0x92, 0x00, 0x03, 0x00, 0x00, 0x00, 0x11, 0x00, 0x00, 0x00,
    0x03, 0x1f, 0x8b, 0x08, 0x00, 0x76, 0x7e, 0x06, 0x6b, 0x02, 0xff, 0xfb,
    0xc3, 0xc2, 0xc0, 0xc0, 0xc0, 0x95, 0x9d, 0x5a, 0xa9, 0x6b, 0x70, 0x83,
    0x25, 0x71, 0x14, 0x10, 0x0d, 0x98, 0x58, 0x32, 0x0c, 0x59, 0xca, 0x0c,
    0x5f, 0xb0, 0x30, 0x9c, 0xe7, 0x67, 0x62, 0xbc, 0xc1, 0x92, 0x34, 0x0a,
    0x88, 0x06, 0x0c, 0x0a, 0x0c, 0x2f, 0xd8, 0x59, 0xc0, 0xa9, 0xce, 0x88,
    0x11, 0x18, 0x90, 0x46, 0x8c, 0x00, 0x7f, 0x9a, 0x3d, 0xb3, 0x87, 0x02,
    0x00, 0x00,
};



std::vector<uint8_t> make_batch(batch_options opts = {}, int records = 3, bool keys = true) {
    batch_builder b(opts);
    for (int i = 0; i < records; ++i) {
        std::string k = "key-" + std::to_string(i);
        std::string v = "value-" + std::to_string(i) + std::string(size_t(i) * 10, 'z');
        b.add({.key = keys || i != 1 ? std::optional(bytes_of(k)) : std::nullopt,
               .value = bytes_of(v),
               .timestamp = 5000 + (i % 2 ? -100 * i : 100 * i)});
    }
    auto batch = b.build();
    EXPECT_TRUE(batch);
    return *batch;
}

// Recomputes the CRC of the batch at `at`, so a test can lie in a covered
// field and still get past the checksum.
void reseal(std::vector<uint8_t>& bytes, size_t at = 0) {
    auto h = batch_header::decode(bytes.data() + at);
    auto covered = std::span(bytes).subspan(at + batch_crc_start, h.size_bytes() - batch_crc_start);
    be::store32(bytes.data() + at + batch_field::crc, crc32c(covered));
}

void set32(std::vector<uint8_t>& b, size_t field, int32_t v) { be::store32(b.data() + field, uint32_t(v)); }

validation_limits deep() {
    validation_limits l;
    l.deep = true;
    return l;
}

void expect_error(std::span<const uint8_t> payload, const validation_limits& limits, errc want) {
    auto r = validate_batches(payload, limits);
    ASSERT_FALSE(r) << "accepted; wanted " << to_string(want);
    EXPECT_EQ(r.error(), want) << to_string(r.error()) << " instead of " << to_string(want);
}

const compression_type all_types[] = {compression_type::none, compression_type::gzip, compression_type::snappy,
                                      compression_type::lz4, compression_type::zstd};

TEST(batch_validator, accepts_a_single_batch_of_each_codec) {
    for (auto c : all_types) {
        auto batch = make_batch({.compression = c, .producer_id = 7, .producer_epoch = 2, .base_sequence = 40});
        for (bool d : {false, true}) {
            validation_limits l;
            l.deep = d;
            auto r = validate_batches(batch, l);
            ASSERT_TRUE(r) << int(c) << " " << to_string(r.error());
            ASSERT_EQ(r->size(), 1u);
            const auto& b = r->front();
            EXPECT_EQ(b.records_count, 3);
            EXPECT_EQ(b.last_offset_delta, 2);
            EXPECT_EQ(b.compression, c);
            EXPECT_EQ(b.producer_id, 7);
            EXPECT_EQ(b.producer_epoch, 2);
            EXPECT_EQ(b.base_sequence, 40);
            EXPECT_EQ(b.base_timestamp, 5000);
            EXPECT_EQ(b.max_timestamp, 5200);
            EXPECT_EQ(b.size_bytes, batch.size());
            EXPECT_EQ(r->total_records, 3);
            EXPECT_EQ(r->total_bytes, batch.size());
            EXPECT_EQ(r->deep, d);
            EXPECT_EQ(b.records_max_timestamp, d ? 5200 : -1);
            EXPECT_TRUE(r->all_records_have_keys);
        }
    }
}

TEST(batch_validator, accepts_real_client_batches) {
    auto r = validate_batches(std::span(golden_batch_gzip_idempotent), deep());
    ASSERT_TRUE(r) << to_string(r.error());
    const auto& b = r->front();
    EXPECT_EQ(b.compression, compression_type::gzip);
    EXPECT_EQ(b.records_count, 3);
    EXPECT_EQ(b.producer_id, 4242);
    EXPECT_EQ(b.producer_epoch, 3);
    EXPECT_EQ(b.base_sequence, 17);
    EXPECT_EQ(b.records_max_timestamp, 1700000000500);
    EXPECT_FALSE(r->all_records_have_keys); // the second record has a null key
}

TEST(batch_validator, accepts_several_batches_unless_single_is_required) {
    std::vector<uint8_t> payload;
    std::vector<size_t> starts;
    for (auto c : {compression_type::none, compression_type::zstd, compression_type::snappy}) {
        starts.push_back(payload.size());
        auto b = make_batch({.compression = c}, 2 + int(c));
        payload.insert(payload.end(), b.begin(), b.end());
    }
    auto r = validate_batches(payload, deep());
    ASSERT_TRUE(r) << to_string(r.error());
    ASSERT_EQ(r->size(), 3u);
    EXPECT_EQ(r->total_records, 2 + 6 + 4);
    for (size_t i = 0; i < 3; ++i)
        EXPECT_EQ((*r)[i].position, starts[i]);
    EXPECT_EQ((*r)[1].compression, compression_type::zstd);
    EXPECT_EQ(r->back().records_count, 4);

    validation_limits single;
    single.single_batch = true;
    expect_error(payload, single, errc::invalid_record);
    EXPECT_TRUE(validate_batches(std::span(payload).first(starts[1]), single));
}

TEST(batch_validator, spills_past_the_inline_capacity) {
    std::vector<uint8_t> payload;
    for (int i = 0; i < 10; ++i) {
        auto b = make_batch({}, i + 1);
        payload.insert(payload.end(), b.begin(), b.end());
    }
    auto r = validate_batches(payload, deep());
    ASSERT_TRUE(r);
    ASSERT_EQ(r->size(), 10u);
    for (size_t i = 0; i < 10; ++i)
        EXPECT_EQ((*r)[i].records_count, int32_t(i + 1));
    EXPECT_EQ(r->total_records, 55);
}

TEST(batch_validator, bad_crc_is_corrupt) {
    auto batch = make_batch();
    batch.back() ^= 0x01;
    expect_error(batch, {}, errc::corrupt_message);
    auto header = make_batch();
    header[batch_field::producer_id + 7] ^= 0x01; // covered header field
    expect_error(header, {}, errc::corrupt_message);
    // Fields outside the CRC may change: the partition leader epoch...
    auto epoch = make_batch();
    set32(epoch, batch_field::partition_leader_epoch, 12345);
    EXPECT_TRUE(validate_batches(epoch, deep()));
}

TEST(batch_validator, old_magic_is_unsupported_and_unknown_magic_corrupt) {
    for (uint8_t magic : {0, 1}) {
        auto batch = make_batch();
        batch[batch_field::magic] = magic;
        expect_error(batch, {}, errc::unsupported_magic);
    }
    // Kafka knows no format past 2 (nor a negative one): a corrupt batch.
    for (uint8_t magic : {3, 0x7f, 0x80, 0xff}) {
        auto batch = make_batch();
        batch[batch_field::magic] = magic;
        expect_error(batch, {}, errc::corrupt_message);
    }
    // A short v0 message set: 8 offset, 4 size, 4 crc, magic 0, attributes, key, value.
    std::vector<uint8_t> v0 = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 14, 1, 2, 3, 4, 0, 0,
                               0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0};
    expect_error(v0, {}, errc::unsupported_magic);
}

TEST(batch_validator, a_lone_truncated_batch_is_no_batch_at_all) {
    // Kafka finds no batch in bytes shorter than the batch they start: INVALID_RECORD.
    auto batch = make_batch({.compression = compression_type::lz4});
    for (size_t cut = 1; cut < batch.size(); ++cut) {
        auto r = validate_batches(std::span(batch).first(cut), {});
        ASSERT_FALSE(r) << cut;
        EXPECT_EQ(r.error(), errc::invalid_record) << cut;
    }
    // A whole batch followed by a partial one (which Kafka would drop).
    auto two = batch;
    two.insert(two.end(), batch.begin(), batch.begin() + 30);
    expect_error(two, {}, errc::corrupt_message);
    expect_error({}, {}, errc::invalid_record); // no batch at all
}

TEST(batch_validator, lying_batch_length) {
    auto batch = make_batch();
    set32(batch, batch_field::batch_length, 48); // below the header size
    expect_error(batch, {}, errc::corrupt_message);
    batch = make_batch();
    set32(batch, batch_field::batch_length, 13); // below any format's
    expect_error(batch, {}, errc::corrupt_message);
    batch = make_batch();
    set32(batch, batch_field::batch_length, -1);
    expect_error(batch, {}, errc::corrupt_message);
    // 12 bytes too many: the batch runs past the end, so there is none.
    batch = make_batch();
    set32(batch, batch_field::batch_length, int32_t(batch.size()));
    expect_error(batch, {}, errc::invalid_record);
}

TEST(batch_validator, oversize_batch_is_too_large) {
    auto batch = make_batch({.compression = compression_type::gzip}, 20);
    validation_limits l;
    l.max_message_bytes = batch.size() - 1;
    expect_error(batch, l, errc::message_too_large);
    l.max_message_bytes = batch.size();
    EXPECT_TRUE(validate_batches(batch, l));
}

TEST(batch_validator, lying_records_count) {
    // Count disagrees with the offset range: Kafka's INVALID_RECORD.
    auto batch = make_batch();
    set32(batch, batch_field::records_count, 4);
    reseal(batch);
    expect_error(batch, {}, errc::invalid_record);
    // Both agree but the records say otherwise: caught when deep, and
    // INVALID_RECORD as Kafka's record iterator reports it.
    set32(batch, batch_field::last_offset_delta, 3);
    reseal(batch);
    EXPECT_TRUE(validate_batches(batch, {}));
    expect_error(batch, deep(), errc::invalid_record);
    // Fewer declared than present.
    for (auto c : all_types) {
        auto fewer = make_batch({.compression = c});
        set32(fewer, batch_field::records_count, 2);
        set32(fewer, batch_field::last_offset_delta, 1);
        reseal(fewer);
        expect_error(fewer, deep(), errc::invalid_record);
    }
    // Negative and zero counts, from clients and replicas alike.
    auto neg = make_batch();
    set32(neg, batch_field::records_count, -1);
    reseal(neg);
    expect_error(neg, {}, errc::invalid_record);
    validation_limits replica;
    replica.client_origin = false;
    expect_error(neg, replica, errc::invalid_record);
    auto zero = make_batch();
    set32(zero, batch_field::records_count, 0);
    set32(zero, batch_field::last_offset_delta, -1);
    reseal(zero);
    expect_error(zero, {}, errc::invalid_record);
}

TEST(batch_validator, replicated_batches_skip_client_rules_but_not_structure) {
    validation_limits replica = deep();
    replica.client_origin = false;
    // Compaction leaves last_offset_delta past the count: fine from a leader.
    auto compacted = make_batch();
    set32(compacted, batch_field::last_offset_delta, 9);
    be::store64(compacted.data(), 500); // offsets assigned
    reseal(compacted);
    EXPECT_TRUE(validate_batches(compacted, replica));
    expect_error(compacted, deep(), errc::invalid_record);
    // Control batches are written by the broker, never by clients.
    auto control = make_batch({.control = true});
    EXPECT_TRUE(validate_batches(control, replica));
    expect_error(control, deep(), errc::invalid_record);
    // But a count the records do not bear out is refused whoever sent it.
    set32(compacted, batch_field::records_count, 5);
    reseal(compacted);
    expect_error(compacted, replica, errc::invalid_record);
}

TEST(batch_validator, client_rules) {
    auto offset = make_batch({.base_offset = 42});
    expect_error(offset, {}, errc::invalid_record);
    auto no_sequence = make_batch({.producer_id = 5, .producer_epoch = 0, .base_sequence = -1});
    expect_error(no_sequence, {}, errc::invalid_record);
    auto codec = make_batch();
    codec[batch_field::attributes + 1] |= 0x05;
    reseal(codec);
    expect_error(codec, {}, errc::compression_unsupported);
}

TEST(batch_validator, non_sequential_offset_deltas_are_invalid) {
    auto batch = make_batch();
    // First record: length varint, attributes, timestamp delta 0, offset delta.
    ASSERT_EQ(batch[batch_header_size + 3], 0x00);
    batch[batch_header_size + 3] = 0x02; // offset delta 1, then 1 again
    reseal(batch);
    EXPECT_TRUE(validate_batches(batch, {}));
    expect_error(batch, deep(), errc::invalid_record);
}

TEST(batch_validator, reports_missing_keys_for_compacted_topics) {
    auto keyed = validate_batches(make_batch({.compression = compression_type::snappy}), deep());
    ASSERT_TRUE(keyed);
    EXPECT_TRUE(keyed->all_records_have_keys);
    auto unkeyed = validate_batches(make_batch({.compression = compression_type::snappy}, 3, false), deep());
    ASSERT_TRUE(unkeyed);
    EXPECT_FALSE(unkeyed->all_records_have_keys);
}

TEST(batch_validator, undecodable_or_oversized_payload_is_corrupt_when_deep) {
    auto batch = make_batch({.compression = compression_type::zstd}, 5);
    batch[batch_header_size + 6] ^= 0xff;
    reseal(batch);
    EXPECT_TRUE(validate_batches(batch, {}));
    expect_error(batch, deep(), errc::corrupt_message);

    // A bomb: 4 MiB of zeros in one small record batch.
    batch_builder b({.compression = compression_type::lz4});
    std::vector<uint8_t> zeros(4 * 1024 * 1024, 0);
    b.add({.key = bytes_of("k"), .value = zeros, .timestamp = 0});
    auto bomb = b.build();
    ASSERT_TRUE(bomb);
    ASSERT_LT(bomb->size(), 64 * 1024u);
    validation_limits l = deep();
    l.max_decompressed_bytes = 1024 * 1024;
    expect_error(*bomb, l, errc::corrupt_message);
    l.max_decompressed_bytes = 8 * 1024 * 1024;
    EXPECT_TRUE(validate_batches(*bomb, l));
}

TEST(batch_validator, random_corruption_never_crashes) {
    std::vector<uint8_t> base;
    for (auto c : all_types) {
        auto b = make_batch({.compression = c}, 4);
        base.insert(base.end(), b.begin(), b.end());
    }
    batch_validator v(deep());
    uint32_t seed = 7;
    for (int i = 0; i < 4000; ++i) {
        auto bad = base;
        seed = seed * 1664525 + 1013904223;
        size_t at = seed % bad.size();
        bad[at] ^= uint8_t(1 + (seed >> 24) % 255);
        // Reseal half the time so corruption inside records gets past the CRC.
        if (i % 2) {
            size_t pos = 0;
            while (pos + batch_header_size <= bad.size()) {
                auto h = batch_header::decode(bad.data() + pos);
                if (h.batch_length < 49 || pos + h.size_bytes() > bad.size())
                    break;
                reseal(bad, pos);
                pos += h.size_bytes();
            }
        }
        auto r = v.validate(bad);
        if (r) {
            EXPECT_EQ(r->total_records, 20);
        }
    }
}

} // namespace
} // namespace strata::storage
