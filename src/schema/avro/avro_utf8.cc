#include "avro_utf8.h"

#include <cstring>

namespace strata::schema::avro {

bool valid_utf8(const uint8_t* p, size_t n) {
    const uint8_t* end = p + n;
    while (p < end) {
        // ASCII runs are the common case: eight bytes at a time.
        if (end - p >= 8) {
            uint64_t chunk;
            std::memcpy(&chunk, p, 8);
            if (!(chunk & 0x8080808080808080ull)) {
                p += 8;
                continue;
            }
        }
        uint8_t b = *p;
        if (b < 0x80) {
            ++p;
            continue;
        }
        size_t len;
        uint8_t lo = 0x80, hi = 0xbf;  // allowed range of the second byte
        if (b >= 0xc2 && b <= 0xdf) {
            len = 2;
        } else if (b >= 0xe0 && b <= 0xef) {
            len = 3;
            if (b == 0xe0) lo = 0xa0;       // overlong
            else if (b == 0xed) hi = 0x9f;  // surrogates
        } else if (b >= 0xf0 && b <= 0xf4) {
            len = 4;
            if (b == 0xf0) lo = 0x90;       // overlong
            else if (b == 0xf4) hi = 0x8f;  // above U+10FFFF
        } else {
            return false;
        }
        if (size_t(end - p) < len) return false;
        if (p[1] < lo || p[1] > hi) return false;
        for (size_t i = 2; i < len; ++i)
            if ((p[i] & 0xc0) != 0x80) return false;
        p += len;
    }
    return true;
}

} // namespace strata::schema::avro
