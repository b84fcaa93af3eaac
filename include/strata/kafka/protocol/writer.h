#pragma once
// Encodes a response (or a request, in tests and clients) into a list of
// fragments: runs of encoded bytes interleaved with file regions holding
// record batches. The connection writes byte runs with writev and file
// regions with sendfile, so fetched records are never copied through user
// space. Owned by one handler invocation, then moved into the connection.

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "strata/kafka/protocol/records.h"
#include "strata/kafka/protocol/uuid.h"

namespace strata::kafka {

// Byte runs reference ranges of the writer's single buffer (offset, length), so
// growing the buffer never invalidates them.
struct byte_run {
    size_t offset;
    size_t size;
};
using fragment = std::variant<byte_run, file_region>;

// A finished message: the encoded bytes plus the order in which byte runs and
// file regions go on the wire.
struct encoded_message {
    std::vector<uint8_t> bytes;
    std::vector<fragment> parts;
    size_t size_bytes = 0;
};

class writer {
public:
    writer() { buf_.reserve(256); }

    void write_bool(bool v) { write_int8(v ? 1 : 0); }
    void write_int8(int8_t v) { store<1>(uint8_t(v)); }
    void write_int16(int16_t v) { store<2>(uint16_t(v)); }
    void write_int32(int32_t v) { store<4>(uint32_t(v)); }
    void write_int64(int64_t v) { store<8>(uint64_t(v)); }
    void write_uint16(uint16_t v) { store<2>(v); }
    void write_uint32(uint32_t v) { store<4>(v); }
    void write_float64(double d) {
        uint64_t bits;
        std::memcpy(&bits, &d, sizeof d);
        store<8>(bits);
    }
    void write_uuid(const uuid& u) { write_raw(u.bytes); }

    void write_uvarint(uint32_t v);
    void write_varint(int32_t v) { write_uvarint((uint32_t(v) << 1) ^ uint32_t(v >> 31)); }
    void write_varlong(int64_t v);

    void write_string_length(int32_t len, bool compact) {
        compact ? write_uvarint(uint32_t(len + 1)) : write_int16(int16_t(len));
    }
    void write_bytes_length(int32_t len, bool compact) {
        compact ? write_uvarint(uint32_t(len + 1)) : write_int32(len);
    }
    void write_array_length(int32_t n, bool compact) { write_bytes_length(n, compact); }

    void write_string(std::string_view s, bool compact) {
        write_string_length(int32_t(s.size()), compact);
        write_raw({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
    }
    void write_nullable_string(const std::optional<std::string>& s, bool compact) {
        if (!s) return write_string_length(-1, compact);
        write_string(*s, compact);
    }
    void write_bytes(std::span<const uint8_t> b, bool compact) {
        write_bytes_length(int32_t(b.size()), compact);
        write_raw(b);
    }
    void write_nullable_bytes(const std::optional<std::vector<uint8_t>>& b, bool compact) {
        if (!b) return write_bytes_length(-1, compact);
        write_bytes(*b, compact);
    }
    // Record bytes: copied when they are a view, referenced when file-backed.
    void write_records(const kafka::records& r, bool compact);
    void write_raw(std::span<const uint8_t> b) { buf_.insert(buf_.end(), b.begin(), b.end()); }

    // Reserves a 4-byte big-endian size at the current position; fill it in later.
    size_t reserve_int32() {
        store<4>(0);
        return buf_.size() - 4;
    }
    void patch_int32(size_t at, int32_t v) {
        for (int i = 0; i < 4; ++i) buf_[at + i] = uint8_t(uint32_t(v) >> (24 - 8 * i));
    }

    size_t size_bytes() const { return buf_.size() + region_bytes_; }
    const std::vector<uint8_t>& buffer() const { return buf_; }
    // The encoded message; call once, after encoding is complete.
    encoded_message finish() &&;
    // All bytes, reading file regions into memory (tests and small responses).
    std::vector<uint8_t> flatten() const;

private:
    template<size_t N, class T>
    void store(T v) {
        uint8_t tmp[N];
        for (size_t i = 0; i < N; ++i) tmp[i] = uint8_t(uint64_t(v) >> (8 * (N - 1 - i)));
        buf_.insert(buf_.end(), tmp, tmp + N);
    }

    std::vector<uint8_t> buf_;
    // (buffer offset where the region goes, region)
    std::vector<std::pair<size_t, file_region>> regions_;
    size_t region_bytes_ = 0;
};

} // namespace strata::kafka
