#pragma once
// What the schema tests share: values in Confluent's wire format.

#include <cstdint>
#include <string>

namespace strata::test {

// A value as Confluent's serializers frame it: magic byte 0, the schema ID
// (big-endian), then the payload.
inline std::string framed(int32_t id, const std::string& payload) {
    std::string out(5, '\0');
    for (int i = 0; i < 4; ++i) out[size_t(1 + i)] = char(uint32_t(id) >> (24 - 8 * i));
    return out + payload;
}

} // namespace strata::test
