#pragma once
// A bounds-checked cursor over one request frame. Reading past the end, or a
// length that is negative where null is not allowed, or larger than what is
// left, marks the reader failed; every read after that returns zero values.
// Decoders check ok() once at the end instead of after every field, which keeps
// generated code straight-line. Owned by the connection handling the frame.

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "strata/kafka/protocol/records.h"
#include "strata/kafka/protocol/uuid.h"

namespace strata::kafka {

class reader {
public:
    explicit reader(std::span<uint8_t> buf) : buf_(buf) {}

    bool ok() const { return !failed_; }
    void fail() { failed_ = true; pos_ = buf_.size(); }
    size_t remaining() const { return buf_.size() - pos_; }
    size_t position() const { return pos_; }

    bool read_bool() { return read_int8() != 0; }
    int8_t read_int8() { return int8_t(load<1>()); }
    int16_t read_int16() { return int16_t(load<2>()); }
    int32_t read_int32() { return int32_t(load<4>()); }
    int64_t read_int64() { return int64_t(load<8>()); }
    uint16_t read_uint16() { return uint16_t(load<2>()); }
    uint32_t read_uint32() { return uint32_t(load<4>()); }
    double read_float64() {
        uint64_t bits = load<8>();
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return d;
    }
    uuid read_uuid() {
        uuid u;
        if (take(16)) std::memcpy(u.bytes.data(), buf_.data() + pos_ - 16, 16);
        return u;
    }

    uint32_t read_uvarint();
    int32_t read_varint();
    int64_t read_varlong();

    // Length of a string/bytes/array: -1 means null. Compact forms store length+1.
    int32_t read_string_length(bool compact) { return compact ? int32_t(read_uvarint()) - 1 : read_int16(); }
    int32_t read_bytes_length(bool compact) { return compact ? int32_t(read_uvarint()) - 1 : read_int32(); }
    // An array count, checked against the bytes left (every element takes at least one byte).
    int32_t read_array_length(bool compact, bool nullable);

    std::string read_string(bool compact);
    std::optional<std::string> read_nullable_string(bool compact);
    std::vector<uint8_t> read_bytes(bool compact);
    std::optional<std::vector<uint8_t>> read_nullable_bytes(bool compact);
    kafka::records read_records(bool compact);

    // A sub-range of `n` bytes (a tagged field's value); advances past it.
    std::span<uint8_t> read_raw(size_t n) {
        if (!take(n)) return {};
        return buf_.subspan(pos_ - n, n);
    }
    void skip(size_t n) { take(n); }

private:
    bool take(size_t n) {
        if (failed_ || n > remaining()) {
            fail();
            return false;
        }
        pos_ += n;
        return true;
    }
    template<size_t N>
    uint64_t load() {
        if (!take(N)) return 0;
        const uint8_t* p = buf_.data() + pos_ - N;
        uint64_t v = 0;
        for (size_t i = 0; i < N; ++i) v = (v << 8) | p[i];
        return v;
    }
    std::span<uint8_t> read_length_prefixed(int32_t len, bool nullable);

    std::span<uint8_t> buf_;
    size_t pos_ = 0;
    bool failed_ = false;
};

} // namespace strata::kafka
