#include "strata/storage/log.h"
#include "strata/base/crc32c.h"

#include <gtest/gtest.h>

#include "test_batches.h"

namespace strata::storage {
namespace {

using testing::batch_spec;
using testing::make_batch;
using testing::temp_dir;

std::unique_ptr<log> open_log(const std::filesystem::path& dir, log_config cfg = {}, bool clean = true,
                              int64_t now = 1000) {
    auto l = log::open(dir, cfg, clean, now);
    EXPECT_TRUE(l);
    return l ? std::move(*l) : nullptr;
}

append_result must_append(log& l, std::vector<uint8_t> b, int64_t now = 1000, int32_t epoch = 5) {
    auto r = l.append(b, epoch, now);
    EXPECT_TRUE(r) << (r ? "" : to_string(r.error()));
    return r ? *r : append_result{};
}

std::vector<uint8_t> slice_bytes(const file_slice& s) {
    std::vector<uint8_t> out(s.size);
    auto n = s.file->pread(out, s.position);
    EXPECT_TRUE(n);
    EXPECT_EQ(*n, s.size);
    return out;
}

// Base offsets of the batches in `bytes`.
std::vector<int64_t> batch_offsets(const std::vector<uint8_t>& bytes) {
    std::vector<int64_t> out;
    for (size_t off = 0; off < bytes.size();) {
        auto h = batch_header::decode(bytes.data() + off);
        out.push_back(h.base_offset);
        off += h.size_bytes();
    }
    return out;
}

TEST(log, append_assigns_offsets_and_reads_back_byte_exact) {
    temp_dir d;
    auto l = open_log(d.path() / "t-0");
    auto b1 = make_batch({.records = 3});
    auto b2 = make_batch({.records = 2, .fill = 'w'});
    auto r1 = must_append(*l, b1);
    EXPECT_EQ(r1.base_offset, 0);
    EXPECT_EQ(r1.last_offset, 2);
    EXPECT_FALSE(r1.duplicate);
    auto r2 = must_append(*l, b2);
    EXPECT_EQ(r2.base_offset, 3);
    EXPECT_EQ(r2.last_offset, 4);
    EXPECT_EQ(l->log_end_offset(), 5);
    EXPECT_TRUE(std::filesystem::exists(d.path() / "t-0" / "00000000000000000000.log"));
    EXPECT_TRUE(std::filesystem::exists(d.path() / "t-0" / "00000000000000000000.index"));
    EXPECT_TRUE(std::filesystem::exists(d.path() / "t-0" / "00000000000000000000.timeindex"));

    auto rr = l->read(0, 1 << 20, INT64_MAX);
    ASSERT_TRUE(rr);
    auto bytes = slice_bytes(rr->slice);
    ASSERT_EQ(bytes.size(), b1.size() + b2.size());
    // Stored exactly as produced except the patched base offset and leader epoch.
    auto expect = testing::concat({b1, b2});
    be::store64(expect.data(), 0);
    be::store32(expect.data() + batch_field::partition_leader_epoch, 5);
    be::store64(expect.data() + b1.size(), 3);
    be::store32(expect.data() + b1.size() + batch_field::partition_leader_epoch, 5);
    EXPECT_EQ(bytes, expect);
    EXPECT_EQ(rr->log_end_offset, 5);
}

TEST(log, several_batches_in_one_append) {
    temp_dir d;
    auto l = open_log(d.path() / "t-0");
    auto payload = testing::concat({make_batch({.records = 2}), make_batch({.records = 4})});
    auto r = must_append(*l, payload);
    EXPECT_EQ(r.base_offset, 0);
    EXPECT_EQ(r.last_offset, 5);
    auto rr = l->read(0, 1 << 20, INT64_MAX);
    ASSERT_TRUE(rr);
    EXPECT_EQ(batch_offsets(slice_bytes(rr->slice)), (std::vector<int64_t>{0, 2}));
    EXPECT_EQ(l->log_end_offset(), 6);
}

TEST(log, read_starts_at_the_batch_containing_the_offset) {
    temp_dir d;
    auto l = open_log(d.path() / "t-0", log_config{.index_interval_bytes = 256});
    for (int i = 0; i < 50; ++i)
        must_append(*l, make_batch({.records = 4, .value_size = 30}));
    EXPECT_GT(l->segment_at(0).offset_idx().entries(), 5u);
    for (int64_t o : {0, 1, 37, 101, 199}) {
        auto rr = l->read(o, 1 << 20, INT64_MAX);
        ASSERT_TRUE(rr);
        auto offs = batch_offsets(slice_bytes(rr->slice));
        ASSERT_FALSE(offs.empty());
        EXPECT_EQ(offs.front(), o / 4 * 4) << o;
        EXPECT_EQ(offs.back(), 196);
    }
}

TEST(log, max_bytes_whole_batches_at_least_one) {
    temp_dir d;
    auto l = open_log(d.path() / "t-0", log_config{.index_interval_bytes = 128});
    auto sample = make_batch({.records = 2, .value_size = 50});
    const size_t bs = sample.size();
    for (int i = 0; i < 20; ++i)
        must_append(*l, make_batch({.records = 2, .value_size = 50}));
    auto rr = l->read(4, bs * 3 + bs / 2, INT64_MAX);
    ASSERT_TRUE(rr);
    EXPECT_EQ(rr->slice.size, bs * 3);
    EXPECT_EQ(batch_offsets(slice_bytes(rr->slice)), (std::vector<int64_t>{4, 6, 8}));
    EXPECT_EQ(rr->last_offset, 9);
    auto all = l->read(0, 1 << 20, INT64_MAX);
    ASSERT_TRUE(all);
    EXPECT_EQ(all->last_offset, 39);
    // KIP-74: one whole batch even when max_bytes is smaller.
    auto one = l->read(10, 1, INT64_MAX);
    ASSERT_TRUE(one);
    EXPECT_EQ(one->slice.size, bs);
    EXPECT_EQ(batch_offsets(slice_bytes(one->slice)), (std::vector<int64_t>{10}));
}

TEST(log, high_watermark_cuts_off_batches) {
    temp_dir d;
    auto l = open_log(d.path() / "t-0");
    for (int i = 0; i < 5; ++i)
        must_append(*l, make_batch({.records = 3})); // batches at 0,3,6,9,12
    auto rr = l->read(0, 1 << 20, 6);
    ASSERT_TRUE(rr);
    EXPECT_EQ(batch_offsets(slice_bytes(rr->slice)), (std::vector<int64_t>{0, 3}));
    EXPECT_EQ(rr->last_offset, 5);
    // A batch starting below the high watermark is included whole.
    rr = l->read(0, 1 << 20, 7);
    ASSERT_TRUE(rr);
    EXPECT_EQ(batch_offsets(slice_bytes(rr->slice)), (std::vector<int64_t>{0, 3, 6}));
    rr = l->read(6, 1 << 20, 6);
    ASSERT_TRUE(rr);
    EXPECT_EQ(rr->slice.size, 0u);
    // Past the high watermark but inside the batch that straddles it: still nothing.
    rr = l->read(8, 1 << 20, 7);
    ASSERT_TRUE(rr);
    EXPECT_EQ(rr->slice.size, 0u);
}

TEST(log, offsets_out_of_range_and_log_end) {
    temp_dir d;
    auto l = open_log(d.path() / "t-0");
    must_append(*l, make_batch({.records = 3}));
    auto at_end = l->read(3, 1 << 20, INT64_MAX);
    ASSERT_TRUE(at_end);
    EXPECT_EQ(at_end->slice.size, 0u);
    auto past = l->read(4, 1 << 20, INT64_MAX);
    ASSERT_FALSE(past);
    EXPECT_EQ(past.error(), errc::offset_out_of_range);
    auto below = l->read(-1, 1 << 20, INT64_MAX);
    ASSERT_FALSE(below);
    EXPECT_EQ(below.error(), errc::offset_out_of_range);
}

TEST(log, rejects_malformed_and_oversize_payloads_without_writing) {
    temp_dir d;
    auto l = open_log(d.path() / "t-0", log_config{.max_message_bytes = 500});
    auto big = make_batch({.records = 1, .value_size = 600});
    auto r = l->append(big, 0, 1000);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::message_too_large);
    auto truncated = make_batch({.records = 1});
    truncated.resize(truncated.size() - 1);
    r = l->append(truncated, 0, 1000);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::corrupt_message);
    auto v1 = make_batch({.records = 1});
    v1[batch_field::magic] = 1;
    r = l->append(v1, 0, 1000);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::unsupported_magic);
    // A valid batch followed by a bad one: nothing of the payload is written.
    auto mixed = testing::concat({make_batch({.records = 1}), big});
    r = l->append(mixed, 0, 1000);
    ASSERT_FALSE(r);
    EXPECT_EQ(l->log_end_offset(), 0);
    EXPECT_EQ(l->size_bytes(), 0u);
}

TEST(log, idempotent_duplicates_and_all_or_nothing_payloads) {
    temp_dir d;
    auto l = open_log(d.path() / "t-0");
    auto first = make_batch({.records = 3, .producer_id = 11, .producer_epoch = 0, .base_sequence = 0});
    must_append(*l, make_batch({.records = 2}));
    auto r = must_append(*l, first);
    EXPECT_EQ(r.base_offset, 2);
    // The retry is answered with the original offsets and not written again.
    auto retry = make_batch({.records = 3, .producer_id = 11, .producer_epoch = 0, .base_sequence = 0});
    auto dup = must_append(*l, retry);
    EXPECT_TRUE(dup.duplicate);
    EXPECT_EQ(dup.base_offset, 2);
    EXPECT_EQ(dup.last_offset, 4);
    EXPECT_EQ(l->log_end_offset(), 5);
    // Second batch of the payload has a gap: the first is not written either,
    // and the producer's state does not advance.
    auto payload = testing::concat({make_batch({.records = 1, .producer_id = 11, .producer_epoch = 0, .base_sequence = 3}),
                                    make_batch({.records = 1, .producer_id = 11, .producer_epoch = 0, .base_sequence = 9})});
    auto bad = l->append(payload, 0, 1000);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error(), errc::out_of_order_sequence);
    EXPECT_EQ(l->log_end_offset(), 5);
    auto ok = must_append(*l, make_batch({.records = 1, .producer_id = 11, .producer_epoch = 0, .base_sequence = 3}));
    EXPECT_FALSE(ok.duplicate);
    EXPECT_EQ(ok.base_offset, 5);
}

TEST(log, rolls_by_size_and_reads_across_segments) {
    temp_dir d;
    auto sample = make_batch({.records = 1, .value_size = 100});
    auto l = open_log(d.path() / "t-0", log_config{.segment_bytes = sample.size() * 3});
    for (int i = 0; i < 10; ++i)
        must_append(*l, make_batch({.records = 1, .value_size = 100}));
    EXPECT_EQ(l->segment_count(), 4u);
    EXPECT_EQ(l->segment_at(1).base_offset(), 3);
    EXPECT_TRUE(std::filesystem::exists(d.path() / "t-0" / "00000000000000000003.log"));
    EXPECT_TRUE(std::filesystem::exists(d.path() / "t-0" / "00000000000000000009.log"));
    for (int64_t o = 0; o < 10; ++o) {
        auto rr = l->read(o, 1 << 20, INT64_MAX);
        ASSERT_TRUE(rr);
        auto offs = batch_offsets(slice_bytes(rr->slice));
        ASSERT_FALSE(offs.empty());
        EXPECT_EQ(offs.front(), o);
    }
}

TEST(log, rolls_by_time_but_never_an_empty_segment) {
    temp_dir d;
    auto l = open_log(d.path() / "t-0", log_config{.segment_ms = 100}, true, 1000);
    must_append(*l, make_batch({}), 5000); // long after creation, but the segment is empty
    EXPECT_EQ(l->segment_count(), 1u);
    must_append(*l, make_batch({}), 5100);
    EXPECT_EQ(l->segment_count(), 1u);
    must_append(*l, make_batch({}), 5101);
    EXPECT_EQ(l->segment_count(), 2u);
    EXPECT_EQ(l->segment_at(1).base_offset(), 2);
}

TEST(log, set_config_applies_to_later_appends) {
    temp_dir d;
    auto l = open_log(d.path() / "t-0");
    must_append(*l, make_batch({}));
    auto cfg = l->config();
    cfg.segment_bytes = 1;
    l->set_config(cfg);
    must_append(*l, make_batch({}));
    EXPECT_EQ(l->segment_count(), 2u);
}

TEST(log, find_offset_by_timestamp_and_max_timestamp) {
    temp_dir d;
    auto l = open_log(d.path() / "t-0", log_config{.segment_bytes = 2000, .index_interval_bytes = 100});
    // Batch i holds offsets [3i, 3i+2] with timestamps 10000 + 100i + {0,1,2}.
    for (int i = 0; i < 30; ++i)
        must_append(*l, make_batch({.records = 3, .base_timestamp = 10000 + 100 * i, .value_size = 40}));
    ASSERT_GT(l->segment_count(), 2u);
    auto t = l->find_offset_by_timestamp(0);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->offset, 0);
    EXPECT_EQ(t->timestamp, 10000);  // the first record, not the batch's max
    t = l->find_offset_by_timestamp(10502);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->offset, 17);  // the record inside batch 5 that has the time
    EXPECT_EQ(t->timestamp, 10502);
    t = l->find_offset_by_timestamp(10503); // next batch
    ASSERT_TRUE(t);
    EXPECT_EQ(t->offset, 18);
    t = l->find_offset_by_timestamp(12701);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->offset, 82);
    t = l->find_offset_by_timestamp(20000);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->offset, -1);
    EXPECT_EQ(t->timestamp, -1);
    auto m = l->max_timestamp_offset();
    ASSERT_TRUE(m);
    EXPECT_EQ(m->timestamp, 12902);
    EXPECT_EQ(m->offset, 89);
}

TEST(log, flush_request_covers_rolled_and_active_segments) {
    temp_dir d;
    auto sample = make_batch({});
    auto l = open_log(d.path() / "t-0", log_config{.segment_bytes = sample.size()});
    EXPECT_EQ(l->durable_offset(), 0);
    must_append(*l, make_batch({}));
    must_append(*l, make_batch({})); // rolls
    auto req = l->prepare_flush();
    EXPECT_EQ(req.offset, 2);
    EXPECT_GE(req.files.size(), 2u);
    bool has_old = false, has_active = false;
    for (const auto& f : req.files) {
        has_old |= f->path().ends_with("00000000000000000000.log");
        has_active |= f->path().ends_with("00000000000000000001.log");
    }
    EXPECT_TRUE(has_old);
    EXPECT_TRUE(has_active);
    ASSERT_TRUE(req.sync());
    auto cfg = l->config();
    cfg.segment_bytes = 1 << 20;
    l->set_config(cfg);
    must_append(*l, make_batch({})); // appends continue while the flush is in flight
    l->mark_durable(req.offset);
    EXPECT_EQ(l->durable_offset(), 2);
    auto next = l->prepare_flush();
    EXPECT_EQ(next.offset, 3);
    EXPECT_EQ(next.files.size(), 1u);
}

TEST(log, slice_outlives_a_deleted_segment) {
    temp_dir d;
    auto sample = make_batch({});
    auto l = open_log(d.path() / "t-0", log_config{.segment_bytes = sample.size(), .retention_bytes = 0});
    must_append(*l, make_batch({.fill = 'a'}));
    must_append(*l, make_batch({.fill = 'b'}));
    auto rr = l->read(0, 1 << 20, INT64_MAX);
    ASSERT_TRUE(rr);
    ASSERT_TRUE(l->apply_retention(1000));
    EXPECT_EQ(l->log_start_offset(), 1);
    EXPECT_FALSE(std::filesystem::exists(d.path() / "t-0" / "00000000000000000000.log"));
    auto bytes = slice_bytes(rr->slice);
    ASSERT_EQ(bytes.size(), sample.size());
    EXPECT_EQ(bytes[bytes.size() - 2], 'a'); // the value's last byte, before the header count
}

TEST(log, log_append_time_stamps_batches_and_keeps_them_valid) {
    temp_dir d;
    log_config cfg;
    cfg.log_append_time = true;
    auto l = open_log(d.path() / "t-0", cfg);
    auto b = make_batch({.records = 3, .base_timestamp = 1000});
    auto r = l->append(b, 0, 5555000);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->log_append_time, 5555000);
    auto h = batch_header::decode(b.data());
    EXPECT_EQ(h.ts_type(), timestamp_type::log_append_time);
    EXPECT_EQ(h.max_timestamp, 5555000);
    // The CRC was recomputed: the stored batch still verifies.
    EXPECT_EQ(h.crc, crc32c(std::span<const uint8_t>(b).subspan(batch_crc_start)));
    auto t = l->find_offset_by_timestamp(5555000);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->offset, 0);
}

TEST(log, timestamps_too_far_in_the_future_are_invalid) {
    temp_dir d;
    log_config cfg;
    cfg.timestamp_after_max_ms = 1000;
    cfg.timestamp_before_max_ms = 5000;
    auto l = open_log(d.path() / "t-0", cfg);
    const int64_t now = 100000;
    auto future = make_batch({.records = 2, .base_timestamp = now + 2000});
    auto r = l->append(future, 0, now);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::invalid_timestamp);
    auto past = make_batch({.records = 2, .base_timestamp = now - 6000});
    r = l->append(past, 0, now);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::invalid_timestamp);
    auto fine = make_batch({.records = 2, .base_timestamp = now - 10});
    EXPECT_TRUE(l->append(fine, 0, now));
    EXPECT_EQ(l->log_end_offset(), 2);
}

} // namespace
} // namespace strata::storage
