#pragma once
// Validates the `records` bytes of one partition in a Produce request (or any
// run of concatenated v2 batches) before they are appended, with Apache
// Kafka's rules and errors (UnifiedLog.analyzeAndValidateRecords,
// LogValidator.validateBatch, ProduceRequest.validateRecords):
//
//   check, in Kafka's order                           errc (Kafka error)
//   no whole batch at all (empty, cut short, or
//     batch_length past the end)                      invalid_record (INVALID_RECORD)
//   batch_length < 14 (less than any format)          corrupt_message (CORRUPT_MESSAGE)
//   magic outside 0..2                                corrupt_message
//   a fragment after a whole batch                    corrupt_message (Kafka drops it)
//   a second batch when single                        invalid_record
//   magic 0 or 1                                      unsupported_magic (Produce v3+ answers
//                                                     INVALID_RECORD; the handler decides)
//   base_offset != 0 (clients only)                   invalid_record
//   batch size > max.message.bytes                    message_too_large (MESSAGE_TOO_LARGE)
//   batch_length < 49 (a v2 header)                   corrupt_message
//   CRC-32C mismatch                                  corrupt_message
//   codec bits 5..7                                   compression_unsupported
//   records_count < 0                                 invalid_record
//  from clients only (validation_limits::client_origin):
//   records_count <= 0, last_offset_delta + 1 !=
//     records_count                                   invalid_record
//   control batch                                     invalid_record
//   producer id set but base_sequence < 0             invalid_record
//  when deep (records are decoded, decompressing as needed):
//   undecodable payload, output over the limit        corrupt_message (Kafka: its
//                                                     decompressor's exception, UNKNOWN_SERVER_ERROR)
//   lying record lengths or records_count             invalid_record (Kafka's DefaultRecord)
//   offset deltas not 0..n-1 (clients only)           invalid_record
//
// Replicated or recovered batches (client_origin = false) may legitimately
// have gaps from compaction, so the count rules are not applied to them.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "strata/base/result.h"
#include "strata/storage/compression.h"
#include "strata/storage/errc.h"
#include "strata/storage/record_batch.h"

namespace strata::storage {

struct validation_limits {
    size_t max_message_bytes = 1048588; // Kafka's default max.message.bytes
    bool deep = false;                  // decode every record too
    size_t max_decompressed_bytes = 64 * 1024 * 1024; // per batch, when deep
    bool client_origin = true;          // apply the rules Kafka applies to producers
    bool single_batch = false;          // Produce v3+: exactly one batch per partition
};

struct batch_info {
    size_t position = 0;   // of the batch within the validated bytes
    size_t size_bytes = 0; // whole batch, including base_offset and batch_length
    int64_t base_offset = 0;
    int32_t records_count = 0;
    int32_t last_offset_delta = 0;
    int64_t base_timestamp = 0;
    int64_t max_timestamp = 0; // as the header states
    int64_t producer_id = -1;
    int16_t producer_epoch = -1;
    int32_t base_sequence = -1;
    compression_type compression = compression_type::none;
    timestamp_type ts_type = timestamp_type::create_time;
    bool transactional = false;
    bool control = false;
    // When deep: base_timestamp + the largest record timestamp delta (what
    // Kafka recomputes as the batch's max timestamp); -1 otherwise.
    int64_t records_max_timestamp = -1;
};

// The batches found, in order. The first few live inline because a Produce
// request carries one batch per partition; more spill to the heap.
class batch_summary {
public:
    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    const batch_info& operator[](size_t i) const { return i < inline_.size() ? inline_[i] : spill_[i - inline_.size()]; }
    const batch_info& front() const { return (*this)[0]; }
    const batch_info& back() const { return (*this)[size_ - 1]; }
    void push_back(const batch_info& b);

    int64_t total_records = 0;
    size_t total_bytes = 0;
    bool deep = false;
    // Meaningful when deep: every record has a non-null key, which a
    // compacted topic requires (else INVALID_RECORD).
    bool all_records_have_keys = true;

private:
    std::array<batch_info, 2> inline_{};
    std::vector<batch_info> spill_;
    size_t size_ = 0;
};

// Validates batch after batch, reusing one decompressor and one scratch
// buffer, so deep validation allocates nothing once warm. One per thread (or
// per connection); not thread-safe.
class batch_validator {
public:
    explicit batch_validator(validation_limits limits = {}) : limits_(limits) {}

    result<batch_summary, errc> validate(std::span<const uint8_t> payload);

    const validation_limits& limits() const { return limits_; }
    void set_limits(const validation_limits& l) { limits_ = l; }

private:
    result<void, errc> check_header(std::span<const uint8_t> batch, const batch_header& h) const;
    result<void, errc> check_records(std::span<const uint8_t> batch, const batch_header& h, batch_info& info,
                                     batch_summary& summary);

    validation_limits limits_;
    decompressor decompressor_;
    std::vector<uint8_t> scratch_;
};

// Convenience over a per-thread batch_validator.
result<batch_summary, errc> validate_batches(std::span<const uint8_t> payload, const validation_limits& limits);

} // namespace strata::storage
