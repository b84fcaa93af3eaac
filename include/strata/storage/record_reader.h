#pragma once
// Iterates the records of one v2 batch, given its (decompressed) records
// section. Each record (Kafka's DefaultRecord) is:
//
//   length          varint   bytes after this field
//   attributes      int8     (unused, 0)
//   timestamp_delta varlong  from the batch's base_timestamp
//   offset_delta    varint   from the batch's base_offset
//   key_length      varint   -1 = null key
//   key             bytes
//   value_length    varint   -1 = null value
//   value           bytes
//   header_count    varint
//   headers         header_count x (key_length varint >= 0, key bytes,
//                                   value_length varint (-1 = null), value bytes)
//
// Validation is strict: the declared length must equal the bytes the fields
// use, lengths never run past the record, exactly `records_count` records must
// fill the section with no byte left over. Any lie is errc::corrupt_message.
//
// Views point into the caller's buffer; nothing is allocated or copied. The
// reader is a short-lived value on the caller's stack, on the caller's thread.

#include <cstddef>
#include <cstdint>
#include <span>

#include "strata/base/result.h"
#include "strata/storage/errc.h"

namespace strata::storage {

struct record_header_view {
    std::span<const uint8_t> key;
    std::span<const uint8_t> value;
    bool value_is_null = false;
};

// Walks a record's headers, which record_reader has already validated, so
// stepping cannot fail.
class record_header_iterator {
public:
    record_header_iterator(std::span<const uint8_t> bytes, int32_t count) : rest_(bytes), left_(count) {}
    // Fills `out` and returns true, or returns false after the last header.
    bool next(record_header_view& out);

private:
    std::span<const uint8_t> rest_;
    int32_t left_;
};

struct record_view {
    int8_t attributes = 0;
    int64_t timestamp_delta = 0;
    int32_t offset_delta = 0;
    std::span<const uint8_t> key;
    bool key_is_null = false;
    std::span<const uint8_t> value;
    bool value_is_null = false;
    int32_t header_count = 0;
    std::span<const uint8_t> header_bytes; // the encoded headers, for headers()
    size_t size_bytes = 0;                 // including the length varint

    record_header_iterator headers() const { return {header_bytes, header_count}; }
};

class record_reader {
public:
    record_reader(std::span<const uint8_t> records, int32_t records_count)
        : rest_(records), left_(records_count) {}

    // Decodes the next record into `out` and returns true; returns false once
    // all `records_count` records are read and the section is exhausted.
    result<bool, errc> next(record_view& out);

    int32_t remaining() const { return left_; }

private:
    std::span<const uint8_t> rest_;
    int32_t left_;
};

} // namespace strata::storage
