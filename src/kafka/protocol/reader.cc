#include "strata/kafka/protocol/reader.h"

namespace strata::kafka {

uint32_t reader::read_uvarint() {
    uint32_t v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
        auto b = uint8_t(load<1>());
        if (failed_) return 0;
        v |= uint32_t(b & 0x7f) << shift;
        if (!(b & 0x80)) return v;
    }
    fail(); // more than 5 bytes: not a 32-bit varint
    return 0;
}

int32_t reader::read_varint() {
    uint32_t z = read_uvarint();
    return int32_t((z >> 1) ^ -(z & 1));
}

int64_t reader::read_varlong() {
    uint64_t v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        auto b = uint8_t(load<1>());
        if (failed_) return 0;
        v |= uint64_t(b & 0x7f) << shift;
        if (!(b & 0x80)) return int64_t((v >> 1) ^ -(v & 1));
    }
    fail();
    return 0;
}

int32_t reader::read_array_length(bool compact, bool nullable) {
    int32_t n = compact ? int32_t(read_uvarint()) - 1 : read_int32();
    if (n < -1 || (n == -1 && !nullable) || (n > 0 && size_t(n) > remaining())) {
        fail();
        return 0;
    }
    return n;
}

std::span<uint8_t> reader::read_length_prefixed(int32_t len, bool nullable) {
    if (len < -1 || (len == -1 && !nullable)) {
        fail();
        return {};
    }
    if (len <= 0) return {};
    return read_raw(size_t(len));
}

std::string reader::read_string(bool compact) {
    auto s = read_length_prefixed(read_string_length(compact), false);
    return std::string(reinterpret_cast<const char*>(s.data()), s.size());
}

std::optional<std::string> reader::read_nullable_string(bool compact) {
    int32_t len = read_string_length(compact);
    if (len == -1) return std::nullopt;
    auto s = read_length_prefixed(len, false);
    return std::string(reinterpret_cast<const char*>(s.data()), s.size());
}

std::vector<uint8_t> reader::read_bytes(bool compact) {
    auto s = read_length_prefixed(read_bytes_length(compact), false);
    return {s.begin(), s.end()};
}

std::optional<std::vector<uint8_t>> reader::read_nullable_bytes(bool compact) {
    int32_t len = read_bytes_length(compact);
    if (len == -1) return std::nullopt;
    auto s = read_length_prefixed(len, false);
    return std::vector<uint8_t>(s.begin(), s.end());
}

kafka::records reader::read_records(bool compact) {
    // Null records decode as empty: Kafka treats both as "no batches".
    return kafka::records::view(read_length_prefixed(read_bytes_length(compact), true));
}

} // namespace strata::kafka
