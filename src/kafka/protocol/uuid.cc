#include "strata/kafka/protocol/uuid.h"

#include <random>

namespace strata::kafka {

uuid uuid::random() {
    static thread_local std::mt19937_64 gen{std::random_device{}()};
    uuid u;
    uint64_t hi = gen(), lo = gen();
    for (int i = 0; i < 8; ++i) {
        u.bytes[i] = uint8_t(hi >> (56 - 8 * i));
        u.bytes[8 + i] = uint8_t(lo >> (56 - 8 * i));
    }
    u.bytes[6] = (u.bytes[6] & 0x0f) | 0x40; // version 4
    u.bytes[8] = (u.bytes[8] & 0x3f) | 0x80; // IETF variant
    return u;
}

std::string uuid::to_base64() const {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    uint32_t acc = 0;
    int bits = 0;
    for (auto b : bytes) {
        acc = (acc << 8) | b;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += alphabet[(acc >> bits) & 0x3f];
        }
    }
    if (bits > 0) out += alphabet[(acc << (6 - bits)) & 0x3f];
    return out;
}

} // namespace strata::kafka
