#include "strata/storage/record_search.h"

#include <vector>

#include "strata/storage/compression.h"
#include "strata/storage/record_batch.h"
#include "strata/storage/record_reader.h"

namespace strata::storage {

result<std::optional<record_hit>, errc> first_record_at_or_after(std::span<const uint8_t> batch, int64_t timestamp) {
    if (batch.size() < batch_header_size) return fail(errc::corrupt_message);
    auto h = batch_header::decode(batch.data());
    if (h.max_timestamp < timestamp) return std::optional<record_hit>{};
    // With LogAppendTime every record carries the batch's timestamp.
    if (h.ts_type() == timestamp_type::log_append_time)
        return std::optional<record_hit>(record_hit{h.base_offset, h.max_timestamp});
    auto body = batch.subspan(batch_header_size);
    thread_local std::vector<uint8_t> plain;
    if (h.compression() != compression_type::none) {
        thread_local decompressor codec;
        if (auto r = codec.decompress(h.compression(), body, plain); !r) return fail(r.error());
        body = plain;
    }
    record_reader reader(body, h.records_count);
    record_view rec;
    for (;;) {
        auto more = reader.next(rec);
        if (!more) return fail(more.error());
        if (!*more) break;
        int64_t ts = h.base_timestamp + rec.timestamp_delta;
        if (ts >= timestamp) return std::optional<record_hit>(record_hit{h.base_offset + rec.offset_delta, ts});
    }
    // The header promised a record this late; the records disagree.
    return fail(errc::corrupt_message);
}

} // namespace strata::storage
