#include "strata/storage/log_records.h"

#include <algorithm>
#include <vector>

#include "strata/storage/compression.h"
#include "strata/storage/record_batch.h"

namespace strata::storage {
namespace {

// Internal topics are small; a few MiB per read keeps the preads few.
constexpr size_t read_chunk_bytes = 4 << 20;

} // namespace

result<void, errc> for_each_batch_record(std::span<const uint8_t> batch, decompressor& codec,
                                         std::vector<uint8_t>& plain,
                                         const std::function<void(int64_t, const record_view&)>& on_record) {
    if (batch.size() < batch_header_size) return fail(errc::corrupt_message);
    auto h = batch_header::decode(batch.data());
    std::span<const uint8_t> records = batch.subspan(batch_header_size);
    if (h.compression() != compression_type::none) {
        if (auto r = codec.decompress(h.compression(), records, plain); !r) return fail(r.error());
        records = plain;
    }
    record_reader reader(records, h.records_count);
    record_view rec;
    for (;;) {
        auto more = reader.next(rec);
        if (!more) return fail(more.error());
        if (!*more) return {};
        on_record(h.base_offset + rec.offset_delta, rec);
    }
}

result<void, errc> for_each_record(log& l, const std::function<void(int64_t, const record_view&)>& on_record) {
    return for_each_record(l, l.log_start_offset(), l.log_end_offset(), on_record);
}

result<void, errc> for_each_record(log& l, int64_t from, int64_t to,
                                   const std::function<void(int64_t, const record_view&)>& on_record) {
    const int64_t end = std::min(to, l.log_end_offset());
    std::vector<uint8_t> chunk, plain;
    decompressor codec;
    for (int64_t next = std::max(from, l.log_start_offset()); next < end;) {
        auto read = l.read(next, read_chunk_bytes, end);
        if (!read) return fail(read.error());
        if (read->slice.size == 0) break;
        const int64_t from = next;
        chunk.resize(read->slice.size);
        auto got = read->slice.file->pread(chunk, read->slice.position);
        if (!got) return fail(got.error());
        if (*got != chunk.size()) return fail(errc::io_error);
        for (size_t pos = 0; pos + batch_header_size <= chunk.size();) {
            auto h = batch_header::decode(chunk.data() + pos);
            if (h.size_bytes() > chunk.size() - pos) break;
            std::span<const uint8_t> batch(chunk.data() + pos, h.size_bytes());
            pos += h.size_bytes();
            next = h.last_offset() + 1;
            if (h.is_control()) continue;
            if (auto r = for_each_batch_record(batch, codec, plain, on_record); !r) return r;
        }
        if (next == from) return fail(errc::corrupt_message);  // not one whole batch: never spin
    }
    return {};
}

} // namespace strata::storage
