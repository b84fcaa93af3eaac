#pragma once
// A test-only Avro binary encoder: just enough to build valid and broken
// payloads for the decoder tests.

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <span>
#include <string_view>
#include <vector>

namespace strata::schema::avro_test {

class encoder {
public:
    encoder& long_value(int64_t v) {
        uint64_t z = (uint64_t(v) << 1) ^ uint64_t(v >> 63);
        return varint(z);
    }
    encoder& int_value(int32_t v) { return long_value(v); }
    // Unsigned base-128, for hand-built overlong encodings.
    encoder& varint(uint64_t z) {
        while (z >= 0x80) {
            bytes_.push_back(uint8_t(z) | 0x80);
            z >>= 7;
        }
        bytes_.push_back(uint8_t(z));
        return *this;
    }
    encoder& boolean(bool b) { return raw({uint8_t(b ? 1 : 0)}); }
    encoder& float_value(float f) { return copy(&f, 4); }
    encoder& double_value(double d) { return copy(&d, 8); }
    encoder& string(std::string_view s) {
        long_value(int64_t(s.size()));
        return copy(s.data(), s.size());
    }
    encoder& raw(std::initializer_list<uint8_t> b) {
        bytes_.insert(bytes_.end(), b.begin(), b.end());
        return *this;
    }
    encoder& append(const encoder& other) {
        bytes_.insert(bytes_.end(), other.bytes_.begin(), other.bytes_.end());
        return *this;
    }
    size_t size() const { return bytes_.size(); }
    std::span<const uint8_t> span() const { return bytes_; }

private:
    encoder& copy(const void* p, size_t n) {
        auto* b = static_cast<const uint8_t*>(p);
        bytes_.insert(bytes_.end(), b, b + n);  // little-endian host, as Avro
        return *this;
    }
    std::vector<uint8_t> bytes_;
};

inline std::vector<uint8_t> from_hex(std::string_view hex) {
    std::vector<uint8_t> out;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) {
        auto nib = [](char c) { return uint8_t(c <= '9' ? c - '0' : c - 'a' + 10); };
        out.push_back(uint8_t(nib(hex[i]) << 4 | nib(hex[i + 1])));
    }
    return out;
}

} // namespace strata::schema::avro_test
