#pragma once
// Test helpers for the log store: builds valid record batches v2
// (uncompressed, correct varints and CRC-32C), temporary directories and
// small files to sync.
// Header-only because the test CMake globs *_test.cc only.

#include <cstdint>
#include <algorithm>
#include <cstdlib>
#include <span>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "strata/base/crc32c.h"
#include "strata/storage/record_batch.h"
#include "strata/storage/segment_file.h"

namespace strata::storage::testing {

struct batch_spec {
    int records = 1;
    int64_t base_timestamp = 1000;
    int64_t timestamp_step = 1; // record i has base_timestamp + i * step
    int64_t producer_id = -1;
    int16_t producer_epoch = -1;
    int32_t base_sequence = -1;
    size_t value_size = 16;
    bool control = false;
    uint8_t fill = 'v';
};

inline void put_varlong(std::vector<uint8_t>& out, int64_t v) {
    uint64_t z = (uint64_t(v) << 1) ^ uint64_t(v >> 63);
    while (z >= 0x80) {
        out.push_back(uint8_t(z | 0x80));
        z >>= 7;
    }
    out.push_back(uint8_t(z));
}

inline std::vector<uint8_t> make_batch(const batch_spec& s) {
    std::vector<uint8_t> records;
    for (int i = 0; i < s.records; ++i) {
        std::vector<uint8_t> body;
        body.push_back(0);                       // attributes
        put_varlong(body, i * s.timestamp_step); // timestamp delta
        put_varlong(body, i);                    // offset delta
        put_varlong(body, -1);                   // null key
        put_varlong(body, int64_t(s.value_size));
        body.insert(body.end(), s.value_size, s.fill);
        put_varlong(body, 0); // no headers
        put_varlong(records, int64_t(body.size()));
        records.insert(records.end(), body.begin(), body.end());
    }
    std::vector<uint8_t> b(batch_header_size, 0);
    b.insert(b.end(), records.begin(), records.end());
    uint8_t* p = b.data();
    be::store64(p + batch_field::base_offset, 0);
    be::store32(p + batch_field::batch_length, uint32_t(b.size() - batch_length_prefix));
    be::store32(p + batch_field::partition_leader_epoch, 0);
    p[batch_field::magic] = 2;
    uint16_t attrs = s.control ? 0x20 : 0;
    p[batch_field::attributes] = uint8_t(attrs >> 8);
    p[batch_field::attributes + 1] = uint8_t(attrs);
    be::store32(p + batch_field::last_offset_delta, uint32_t(s.records - 1));
    be::store64(p + batch_field::base_timestamp, uint64_t(s.base_timestamp));
    be::store64(p + batch_field::max_timestamp, uint64_t(s.base_timestamp + (s.records - 1) * s.timestamp_step));
    be::store64(p + batch_field::producer_id, uint64_t(s.producer_id));
    p[batch_field::producer_epoch] = uint8_t(uint16_t(s.producer_epoch) >> 8);
    p[batch_field::producer_epoch + 1] = uint8_t(s.producer_epoch);
    be::store32(p + batch_field::base_sequence, uint32_t(s.base_sequence));
    be::store32(p + batch_field::records_count, uint32_t(s.records));
    be::store32(p + batch_field::crc, crc32c(std::span<const uint8_t>(b).subspan(batch_crc_start)));
    return b;
}

inline std::vector<uint8_t> concat(std::initializer_list<std::vector<uint8_t>> parts) {
    std::vector<uint8_t> out;
    for (const auto& p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

// Whether the batch bytes (ignoring base_offset and leader epoch) are `b`.
inline bool same_payload(std::span<const uint8_t> stored, const std::vector<uint8_t>& b) {
    return stored.size() == b.size() && std::equal(stored.begin() + batch_field::magic, stored.end(),
                                                   b.begin() + batch_field::magic) &&
           std::equal(b.begin() + 8, b.begin() + 12, stored.begin() + 8);
}

// A fresh directory, removed with its contents at scope exit.
class temp_dir {
public:
    temp_dir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "strata-storage-XXXXXX").string();
        path_ = ::mkdtemp(tmpl.data());
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// A new file at `path` with four bytes appended (unsynced); null when it
// could not be created.
inline std::shared_ptr<segment_file> file_with_data(const std::filesystem::path& path) {
    auto f = segment_file::open(path, true);
    if (!f) return nullptr;
    const uint8_t bytes[] = {1, 2, 3, 4};
    if (!(*f)->append(bytes)) return nullptr;
    return *f;
}

} // namespace strata::storage::testing
