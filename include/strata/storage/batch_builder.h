#pragma once
// Builds one record batch v2 (layout in record_batch.h, records in
// record_reader.h) from records given one at a time: for tests, the
// dead-letter router and the internal topics, i.e. whenever the broker itself
// writes records. Records are encoded as they are added, so their bytes need
// not outlive add(). The base timestamp is the first record's timestamp (as
// the Java client does); later records may be older (negative deltas).
//
// Owned by whoever builds; single-threaded. reset() keeps the buffers, so one
// builder reused for many batches does not allocate per batch.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "strata/base/result.h"
#include "strata/storage/compression.h"
#include "strata/storage/errc.h"
#include "strata/storage/record_batch.h"

namespace strata::storage {

// Views the bytes of a string, for keys, values and header keys.
inline std::span<const uint8_t> bytes_of(std::string_view s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

struct record_header {
    std::span<const uint8_t> key{};
    std::optional<std::span<const uint8_t>> value; // nullopt = null
};

struct record_input {
    std::optional<std::span<const uint8_t>> key;   // nullopt = null key
    std::optional<std::span<const uint8_t>> value; // nullopt = null value (a tombstone)
    int64_t timestamp = 0;
    std::span<const record_header> headers{};
};

struct batch_options {
    compression_type compression = compression_type::none;
    int compression_level = compression_level_default;
    timestamp_type ts_type = timestamp_type::create_time;
    int64_t base_offset = 0;
    int32_t partition_leader_epoch = -1;
    int64_t producer_id = -1;
    int16_t producer_epoch = -1;
    int32_t base_sequence = -1;
    bool transactional = false;
    bool control = false;
};

class batch_builder {
public:
    explicit batch_builder(batch_options opts = {}) : opts_(opts) {}

    void add(const record_input& r);
    size_t record_count() const { return size_t(count_); }

    // Appends the finished batch to `out`. An empty batch is
    // errc::invalid_record: Kafka accepts none from clients and we write none.
    result<void, errc> build_append(std::vector<uint8_t>& out);
    result<std::vector<uint8_t>, errc> build();

    // Forgets the records (keeping buffers) and optionally takes new options.
    void reset() { records_.clear(); count_ = 0; }
    void reset(const batch_options& opts) { reset(); opts_ = opts; }

private:
    batch_options opts_;
    std::vector<uint8_t> records_;
    std::vector<uint8_t> compressed_;
    int32_t count_ = 0;
    int64_t base_timestamp_ = 0;
    int64_t max_timestamp_ = 0;
};

} // namespace strata::storage
