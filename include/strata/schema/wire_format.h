#pragma once
// Confluent's wire format, which every Schema Registry serializer writes in
// front of a key or value: magic byte 0, then the schema ID as a big-endian
// int32, then the serialized data (for Protobuf, message indexes first).

#include <cstdint>
#include <optional>
#include <span>

namespace strata::schema {

inline constexpr size_t wire_prefix_size = 5;
inline constexpr uint8_t wire_magic = 0;

struct framed_payload {
    int32_t schema_id = -1;
    std::span<const uint8_t> data;  // after the prefix
};

// The schema ID and data, or nothing when `bytes` is too short or does not
// start with the magic byte.
inline std::optional<framed_payload> parse_frame(std::span<const uint8_t> bytes) {
    if (bytes.size() < wire_prefix_size || bytes[0] != wire_magic) return std::nullopt;
    auto id = int32_t(uint32_t(bytes[1]) << 24 | uint32_t(bytes[2]) << 16 | uint32_t(bytes[3]) << 8 | bytes[4]);
    return framed_payload{id, bytes.subspan(wire_prefix_size)};
}

} // namespace strata::schema
