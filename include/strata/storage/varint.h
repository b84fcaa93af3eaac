#pragma once
// Zigzag varints as record batch v2 encodes record fields (Kafka's
// ByteUtils.readVarint/readVarlong): base-128, least significant group first,
// with zigzag so small negative numbers stay short.
//
// Decoders return the number of bytes consumed, or 0 when the input is
// truncated or the varint is longer than its type allows (5 bytes for 32-bit,
// 10 for 64-bit), which is what Kafka rejects as an illegal varint. They never
// read past the span. Header-only because they sit on the per-record hot path.

#include <cstddef>
#include <cstdint>
#include <span>

namespace strata::storage {

inline constexpr size_t max_varint_size = 5;
inline constexpr size_t max_varlong_size = 10;

inline size_t decode_uvarint64(std::span<const uint8_t> in, uint64_t& out, size_t max_bytes) {
    // Most record fields (attributes aside) fit one or two bytes: decoded
    // without the loop.
    if (!in.empty() && in[0] < 0x80) {
        out = in[0];
        return 1;
    }
    if (in.size() >= 2 && in[1] < 0x80 && max_bytes >= 2) {
        out = uint64_t(in[0] & 0x7f) | uint64_t(in[1]) << 7;
        return 2;
    }
    uint64_t v = 0;
    size_t n = in.size() < max_bytes ? in.size() : max_bytes;
    for (size_t i = 0; i < n; ++i) {
        uint8_t b = in[i];
        v |= uint64_t(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            out = v;
            return i + 1;
        }
    }
    return 0;
}

inline size_t decode_varint(std::span<const uint8_t> in, int32_t& out) {
    uint64_t raw = 0;
    size_t n = decode_uvarint64(in, raw, max_varint_size);
    // The fifth byte may carry bits past 32; Kafka drops them too.
    uint32_t u = uint32_t(raw);
    out = int32_t((u >> 1) ^ (~(u & 1) + 1));
    return n;
}

inline size_t decode_varlong(std::span<const uint8_t> in, int64_t& out) {
    uint64_t u = 0;
    size_t n = decode_uvarint64(in, u, max_varlong_size);
    out = int64_t((u >> 1) ^ (~(u & 1) + 1));
    return n;
}

inline size_t encode_uvarint64(uint64_t v, uint8_t* out) {
    size_t i = 0;
    while (v >= 0x80) {
        out[i++] = uint8_t(v | 0x80);
        v >>= 7;
    }
    out[i++] = uint8_t(v);
    return i;
}

// Writes at most max_varint_size bytes.
inline size_t encode_varint(int32_t v, uint8_t* out) {
    return encode_uvarint64((uint32_t(v) << 1) ^ uint32_t(v >> 31), out);
}

// Writes at most max_varlong_size bytes.
inline size_t encode_varlong(int64_t v, uint8_t* out) {
    return encode_uvarint64((uint64_t(v) << 1) ^ uint64_t(v >> 63), out);
}

inline size_t uvarint64_size(uint64_t v) {
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        ++n;
    }
    return n;
}

inline size_t varint_size(int32_t v) { return uvarint64_size((uint32_t(v) << 1) ^ uint32_t(v >> 31)); }
inline size_t varlong_size(int64_t v) { return uvarint64_size((uint64_t(v) << 1) ^ uint64_t(v >> 63)); }

} // namespace strata::storage
