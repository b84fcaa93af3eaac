#include "strata/base/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <cpuid.h>
#include <nmmintrin.h>
#endif

namespace strata {
namespace {

constexpr uint32_t castagnoli_reflected = 0x82F63B78u;

// Slicing-by-8 tables for the portable path.
struct tables {
    std::array<std::array<uint32_t, 256>, 8> t{};
    constexpr tables() {
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ castagnoli_reflected : c >> 1;
            t[0][i] = c;
        }
        for (uint32_t i = 0; i < 256; ++i)
            for (int s = 1; s < 8; ++s) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xff];
    }
};
constexpr tables table;

uint32_t crc32c_portable(const uint8_t* p, size_t n, uint32_t crc) {
    while (n >= 8) {
        uint64_t w;
        std::memcpy(&w, p, 8);
        w ^= crc;
        crc = table.t[7][w & 0xff] ^ table.t[6][(w >> 8) & 0xff] ^ table.t[5][(w >> 16) & 0xff] ^
              table.t[4][(w >> 24) & 0xff] ^ table.t[3][(w >> 32) & 0xff] ^ table.t[2][(w >> 40) & 0xff] ^
              table.t[1][(w >> 48) & 0xff] ^ table.t[0][w >> 56];
        p += 8;
        n -= 8;
    }
    while (n--) crc = (crc >> 8) ^ table.t[0][(crc ^ *p++) & 0xff];
    return crc;
}

#if defined(__x86_64__)
// The crc32 instruction has a latency of three cycles and a throughput of one
// per cycle, so one dependent chain leaves two thirds of it idle. Long inputs
// are therefore cut into blocks of three stripes, each stripe run as its own
// chain, and the three partial CRCs joined: the register after A||B is the
// register after B from zero, XOR the register after A carried over |B| zero
// bytes (the update is linear). That carry is a fixed linear map of 32 bits,
// applied with four 256-entry tables.
constexpr size_t stripe = 256;

__attribute__((target("sse4.2"))) uint32_t crc32c_sse42_serial(const uint8_t* p, size_t n, uint32_t crc) {
    uint64_t c = crc;
    while (n >= 8) {
        uint64_t w;
        std::memcpy(&w, p, 8);
        c = _mm_crc32_u64(c, w);
        p += 8;
        n -= 8;
    }
    auto c32 = static_cast<uint32_t>(c);
    while (n--) c32 = _mm_crc32_u8(c32, *p++);
    return c32;
}

// The register after `stripe` zero bytes, as a function of the register before.
struct stripe_shift {
    std::array<std::array<uint32_t, 256>, 4> t{};
    stripe_shift() {
        static constexpr std::array<uint8_t, stripe> zeros{};
        std::array<uint32_t, 32> basis{};
        for (int b = 0; b < 32; ++b) basis[size_t(b)] = crc32c_sse42_serial(zeros.data(), stripe, 1u << b);
        for (size_t k = 0; k < 4; ++k)
            for (uint32_t v = 0; v < 256; ++v) {
                uint32_t r = 0;
                for (int b = 0; b < 8; ++b)
                    if (v >> b & 1) r ^= basis[k * 8 + size_t(b)];
                t[k][v] = r;
            }
    }
    uint32_t operator()(uint32_t c) const {
        return t[0][c & 0xff] ^ t[1][(c >> 8) & 0xff] ^ t[2][(c >> 16) & 0xff] ^ t[3][c >> 24];
    }
};

__attribute__((target("sse4.2"))) uint32_t crc32c_sse42(const uint8_t* p, size_t n, uint32_t crc) {
    if (n >= 3 * stripe) {
        static const stripe_shift shift;
        while (n >= 3 * stripe) {
            uint64_t c0 = crc, c1 = 0, c2 = 0;
            for (size_t i = 0; i < stripe; i += 8) {
                uint64_t w0, w1, w2;
                std::memcpy(&w0, p + i, 8);
                std::memcpy(&w1, p + stripe + i, 8);
                std::memcpy(&w2, p + 2 * stripe + i, 8);
                c0 = _mm_crc32_u64(c0, w0);
                c1 = _mm_crc32_u64(c1, w1);
                c2 = _mm_crc32_u64(c2, w2);
            }
            crc = shift(shift(uint32_t(c0)) ^ uint32_t(c1)) ^ uint32_t(c2);
            p += 3 * stripe;
            n -= 3 * stripe;
        }
    }
    return crc32c_sse42_serial(p, n, crc);
}

bool cpu_has_sse42() {
    unsigned a, b, c, d;
    return __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSE4_2);
}
#endif

} // namespace

uint32_t crc32c(std::span<const uint8_t> data, uint32_t crc) {
    crc = ~crc;
#if defined(__x86_64__)
    static const bool hw = cpu_has_sse42();
    crc = hw ? crc32c_sse42(data.data(), data.size(), crc) : crc32c_portable(data.data(), data.size(), crc);
#else
    crc = crc32c_portable(data.data(), data.size(), crc);
#endif
    return ~crc;
}

} // namespace strata
