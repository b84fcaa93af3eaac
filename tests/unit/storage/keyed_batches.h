#pragma once
// Test helpers for compaction: batches of keyed records (through
// batch_builder, so any codec and producer fields), a compacted log config,
// and readers of everything a log holds — its records, and its batches as
// stored. Header-only because the test CMake globs *_test.cc only.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "strata/storage/batch_builder.h"
#include "strata/storage/batch_validator.h"
#include "strata/storage/cleaning_pass.h"
#include "strata/storage/log.h"
#include "strata/storage/log_records.h"

namespace strata::storage::testing {

struct kv {
    std::optional<std::string> key;
    std::optional<std::string> value;  // nullopt: a tombstone
};

inline std::vector<uint8_t> keyed_batch(const std::vector<kv>& records, int64_t timestamp, batch_options opts = {}) {
    batch_builder b(opts);
    for (const auto& r : records) {
        record_input in;
        if (r.key) in.key = bytes_of(*r.key);
        if (r.value) in.value = bytes_of(*r.value);
        in.timestamp = timestamp;
        b.add(in);
    }
    auto built = b.build();
    EXPECT_TRUE(built);
    return built ? *built : std::vector<uint8_t>{};
}

// Compacted only; segment.bytes 1 puts every appended batch in a segment of
// its own, and (as a group never exceeds segment.bytes) keeps groups single.
inline log_config compacted_config(uint64_t segment_bytes = 1) {
    log_config c;
    c.segment_bytes = segment_bytes;
    c.retention_ms = -1;
    c.cleanup_delete = false;
    c.cleanup_compact = true;
    c.min_cleanable_dirty_ratio = 0;
    c.delete_retention_ms = 1000;
    return c;
}

struct stored_record {
    int64_t offset;
    std::optional<std::string> key;
    std::optional<std::string> value;
    bool operator==(const stored_record&) const = default;
};

inline void PrintTo(const stored_record& r, std::ostream* os) {
    *os << r.offset << ":" << r.key.value_or("<null>") << "=" << r.value.value_or("<null>");
}

inline std::optional<std::string> text(std::span<const uint8_t> bytes, bool is_null) {
    if (is_null) return std::nullopt;
    return std::string(bytes.begin(), bytes.end());
}

inline std::vector<stored_record> records_of(log& l) {
    std::vector<stored_record> out;
    auto r = for_each_record(l, [&](int64_t offset, const record_view& rec) {
        out.push_back({offset, text(rec.key, rec.key_is_null), text(rec.value, rec.value_is_null)});
    });
    EXPECT_TRUE(r);
    return out;
}

// Every batch from the log start, as stored, each checked the way recovery
// checks it (framing, CRC-32C, records decoding, offsets increasing).
inline std::vector<std::vector<uint8_t>> batches_of(log& l) {
    std::vector<std::vector<uint8_t>> out;
    int64_t next = l.log_start_offset();
    while (next < l.log_end_offset()) {
        auto rr = l.read(next, 1 << 20, INT64_MAX);
        EXPECT_TRUE(rr);
        if (!rr || rr->slice.size == 0) break;
        std::vector<uint8_t> bytes(rr->slice.size);
        EXPECT_TRUE(rr->slice.file->pread(bytes, rr->slice.position));
        validation_limits limits;
        limits.deep = true;
        limits.client_origin = false;
        limits.max_message_bytes = SIZE_MAX;
        EXPECT_TRUE(validate_batches(bytes, limits)) << "batch at offset " << next << " is invalid";
        for (size_t pos = 0; pos < bytes.size();) {
            auto h = batch_header::decode(bytes.data() + pos);
            EXPECT_GE(h.base_offset, next);
            out.emplace_back(bytes.begin() + std::ptrdiff_t(pos), bytes.begin() + std::ptrdiff_t(pos + h.size_bytes()));
            next = h.last_offset() + 1;
            pos += h.size_bytes();
        }
    }
    return out;
}

inline cleaning_stats clean(log& l, int64_t now_ms, size_t map_bytes = 1 << 20) {
    cleaning_pass pass(l, now_ms, map_bytes);
    auto r = pass.run(now_ms);
    EXPECT_TRUE(r) << (r ? "" : to_string(r.error()));
    EXPECT_TRUE(r && *r == cleaning_pass::state::done);
    return pass.stats();
}

inline std::vector<std::filesystem::path> files_ending(const std::filesystem::path& dir, std::string_view suffix) {
    std::vector<std::filesystem::path> out;
    for (const auto& de : std::filesystem::directory_iterator(dir))
        if (de.path().filename().string().ends_with(suffix)) out.push_back(de.path());
    return out;
}

} // namespace strata::storage::testing
