// libFuzzer target: the bytes of a Produce request's `records`, validated
// deeply as the produce path does (every record decoded, decompressing all
// four codecs), plus each codec's decompressor on raw payloads. CRCs are
// recomputed before validation, or the fuzzer would never get past them
// into the record and codec parsers. A batch the validator accepts must read
// back record by record exactly as it claims.
//
// Input: byte 0 chooses the mode and validation limits; the rest is the payload.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "strata/base/crc32c.h"
#include "strata/storage/batch_validator.h"
#include "strata/storage/compression.h"
#include "strata/storage/record_reader.h"

namespace {

using namespace strata::storage;

constexpr size_t max_output = 1 << 20;

// Walks batch_length prefixes and rewrites each complete batch's CRC.
void fix_crcs(std::vector<uint8_t>& bytes) {
    size_t pos = 0;
    while (bytes.size() - pos >= batch_header_size) {
        const int32_t length = int32_t(be::load32(bytes.data() + pos + batch_field::batch_length));
        if (length < int32_t(batch_header_size - batch_length_prefix)) return;
        const size_t end = pos + batch_length_prefix + size_t(length);
        if (end > bytes.size()) return;
        const uint32_t crc = strata::crc32c({bytes.data() + pos + batch_crc_start, end - pos - batch_crc_start});
        be::store32(bytes.data() + pos + batch_field::crc, crc);
        pos = end;
    }
}

// Reads `count` records from `section`; returns how many decoded before the
// end or the first error.
int32_t read_records(std::span<const uint8_t> section, int32_t count, bool& failed) {
    record_reader reader(section, count);
    record_view rec;
    int32_t n = 0;
    failed = false;
    for (;;) {
        auto more = reader.next(rec);
        if (!more) { failed = true; return n; }
        if (!*more) return n;
        record_header_view h;
        for (auto it = rec.headers(); it.next(h);) {}
        ++n;
    }
}

void validate(std::vector<uint8_t>& payload, uint8_t flags) {
    fix_crcs(payload);
    validation_limits limits;
    limits.deep = true;
    limits.client_origin = flags & 0x10;
    limits.single_batch = flags & 0x20;
    limits.max_decompressed_bytes = max_output;
    auto summary = validate_batches(payload, limits);
    if (!summary) return;
    // Accepted: every batch must decode to exactly records_count records.
    decompressor d;
    std::vector<uint8_t> out;
    for (size_t i = 0; i < summary->size(); ++i) {
        const auto& b = (*summary)[i];
        std::span<const uint8_t> section{payload.data() + b.position + batch_header_size,
                                         b.size_bytes - batch_header_size};
        if (b.compression != compression_type::none) {
            if (!d.decompress(b.compression, section, out, max_output)) std::abort();
            section = out;
        }
        bool failed = false;
        if (read_records(section, b.records_count, failed) != b.records_count || failed) std::abort();
    }
}

void decompress_raw(const uint8_t* data, size_t size, uint8_t flags) {
    const auto codec = compression_type(1 + (flags >> 1) % 4);
    std::vector<uint8_t> out;
    decompressor d;
    if (!d.decompress(codec, {data, size}, out, max_output)) return;
    if (out.size() > max_output) std::abort();
    // The one-shot function must agree with the reusable context.
    auto once = decompress(codec, {data, size}, max_output);
    if (!once || *once != out) std::abort();
    bool failed = false;
    read_records(out, int32_t(flags >> 3), failed);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const uint8_t flags = data[0];
    if (flags & 1) {
        decompress_raw(data + 1, size - 1, flags);
    } else {
        std::vector<uint8_t> payload(data + 1, data + size);
        validate(payload, flags);
    }
    return 0;
}
