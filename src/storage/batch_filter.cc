#include "strata/storage/batch_filter.h"

#include <algorithm>
#include <cstring>

#include "strata/base/crc32c.h"
#include "strata/storage/compression.h"
#include "strata/storage/record_batch.h"
#include "strata/storage/record_reader.h"

namespace strata::storage {

result<std::vector<uint8_t>, errc> filter_batch(std::span<const uint8_t> batch, std::span<const uint8_t> records,
                                                const std::vector<bool>& keep) {
    if (batch.size() < batch_header_size) return fail(errc::corrupt_message);
    auto h = batch_header::decode(batch.data());
    if (keep.size() != size_t(h.records_count)) return fail(errc::invalid_record);

    std::vector<uint8_t> kept;
    kept.reserve(records.size());
    int32_t kept_count = 0;
    int64_t max_delta = INT64_MIN;
    record_reader reader(records, h.records_count);
    record_view r;
    size_t position = 0;
    for (int32_t i = 0;; ++i) {
        auto more = reader.next(r);
        if (!more) return fail(more.error());
        if (!*more) break;
        if (keep[size_t(i)]) {
            kept.insert(kept.end(), records.begin() + position, records.begin() + position + r.size_bytes);
            max_delta = std::max(max_delta, r.timestamp_delta);
            ++kept_count;
        }
        position += r.size_bytes;
    }

    auto codec = kept_count == 0 ? compression_type::none : h.compression();
    std::vector<uint8_t> out(batch.begin(), batch.begin() + batch_header_size);
    if (auto r = compress_append(codec, kept, out); !r) return fail(r.error());

    uint8_t* p = out.data();
    be::store32(p + batch_field::batch_length, uint32_t(out.size() - batch_length_prefix));
    uint16_t attributes = uint16_t((h.attributes & ~0x07) | uint16_t(codec));
    p[batch_field::attributes] = uint8_t(attributes >> 8);
    p[batch_field::attributes + 1] = uint8_t(attributes);
    if (kept_count > 0 && h.ts_type() == timestamp_type::create_time)
        be::store64(p + batch_field::max_timestamp, uint64_t(h.base_timestamp + max_delta));
    be::store32(p + batch_field::records_count, uint32_t(kept_count));
    be::store32(p + batch_field::crc, crc32c(std::span<const uint8_t>(out).subspan(batch_crc_start)));
    return out;
}

} // namespace strata::storage
