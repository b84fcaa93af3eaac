#pragma once
// Record batch v2 (magic 2), the unit Kafka clients produce and Strata stores
// byte for byte. On-disk and on-wire layout (big-endian):
//
//   offset  size  field
//    0      8     base_offset            (assigned by the broker; not covered by the CRC)
//    8      4     batch_length           (bytes after this field)
//   12      4     partition_leader_epoch (assigned by the broker; not covered by the CRC)
//   16      1     magic                  (2)
//   17      4     crc                    (CRC-32C of bytes 21..end)
//   21      2     attributes             (bits 0-2 compression, 3 timestamp type,
//                                         4 transactional, 5 control, 6 delete horizon
//                                         (KIP-534; Strata's cleaner never sets it))
//   23      4     last_offset_delta
//   27      8     base_timestamp
//   35      8     max_timestamp
//   43      8     producer_id
//   51      2     producer_epoch
//   53      4     base_sequence
//   57      4     records_count
//   61      ...   records (compressed as a whole when attributes say so)

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "strata/base/types.h"

namespace strata::storage {

inline constexpr size_t batch_header_size = 61;
// base_offset + batch_length: enough to find the next batch.
inline constexpr size_t batch_length_prefix = 12;
inline constexpr size_t batch_crc_start = 21;

enum class compression_type : uint8_t { none = 0, gzip = 1, snappy = 2, lz4 = 3, zstd = 4 };
enum class timestamp_type : uint8_t { create_time = 0, log_append_time = 1 };

namespace batch_field {
inline constexpr size_t base_offset = 0;
inline constexpr size_t batch_length = 8;
inline constexpr size_t partition_leader_epoch = 12;
inline constexpr size_t magic = 16;
inline constexpr size_t crc = 17;
inline constexpr size_t attributes = 21;
inline constexpr size_t last_offset_delta = 23;
inline constexpr size_t base_timestamp = 27;
inline constexpr size_t max_timestamp = 35;
inline constexpr size_t producer_id = 43;
inline constexpr size_t producer_epoch = 51;
inline constexpr size_t base_sequence = 53;
inline constexpr size_t records_count = 57;
} // namespace batch_field

namespace be {
inline uint16_t load16(const uint8_t* p) { return uint16_t(p[0]) << 8 | p[1]; }
inline uint32_t load32(const uint8_t* p) {
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}
inline uint64_t load64(const uint8_t* p) { return uint64_t(load32(p)) << 32 | load32(p + 4); }
inline void store32(uint8_t* p, uint32_t v) {
    p[0] = uint8_t(v >> 24); p[1] = uint8_t(v >> 16); p[2] = uint8_t(v >> 8); p[3] = uint8_t(v);
}
inline void store64(uint8_t* p, uint64_t v) { store32(p, uint32_t(v >> 32)); store32(p + 4, uint32_t(v)); }
} // namespace be

// The decoded fixed header of one batch. Decoding does not validate; see
// validate_batch() in batch_validator.h.
struct batch_header {
    int64_t base_offset;
    int32_t batch_length;
    int32_t partition_leader_epoch;
    int8_t magic;
    uint32_t crc;
    int16_t attributes;
    int32_t last_offset_delta;
    int64_t base_timestamp;
    int64_t max_timestamp;
    int64_t producer_id;
    int16_t producer_epoch;
    int32_t base_sequence;
    int32_t records_count;

    // Total size of the batch including base_offset and batch_length.
    size_t size_bytes() const { return size_t(batch_length) + batch_length_prefix; }
    int64_t last_offset() const { return base_offset + last_offset_delta; }
    compression_type compression() const { return compression_type(attributes & 0x07); }
    timestamp_type ts_type() const { return timestamp_type((attributes >> 3) & 1); }
    bool is_transactional() const { return attributes & 0x10; }
    bool is_control() const { return attributes & 0x20; }
    bool has_producer_id() const { return producer_id >= 0; }
    int32_t last_sequence() const {
        // Sequences wrap at INT32_MAX (Kafka's DefaultRecordBatch.incrementSequence).
        int64_t last = int64_t(base_sequence) + last_offset_delta;
        return last > INT32_MAX ? int32_t(last - INT32_MAX - 1) : int32_t(last);
    }

    // Decodes the header from at least batch_header_size bytes.
    static batch_header decode(const uint8_t* p) {
        batch_header h;
        h.base_offset = int64_t(be::load64(p + batch_field::base_offset));
        h.batch_length = int32_t(be::load32(p + batch_field::batch_length));
        h.partition_leader_epoch = int32_t(be::load32(p + batch_field::partition_leader_epoch));
        h.magic = int8_t(p[batch_field::magic]);
        h.crc = be::load32(p + batch_field::crc);
        h.attributes = int16_t(be::load16(p + batch_field::attributes));
        h.last_offset_delta = int32_t(be::load32(p + batch_field::last_offset_delta));
        h.base_timestamp = int64_t(be::load64(p + batch_field::base_timestamp));
        h.max_timestamp = int64_t(be::load64(p + batch_field::max_timestamp));
        h.producer_id = int64_t(be::load64(p + batch_field::producer_id));
        h.producer_epoch = int16_t(be::load16(p + batch_field::producer_epoch));
        h.base_sequence = int32_t(be::load32(p + batch_field::base_sequence));
        h.records_count = int32_t(be::load32(p + batch_field::records_count));
        return h;
    }
};

} // namespace strata::storage
