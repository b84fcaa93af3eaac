#include "strata/schema/batch_checker.h"

#include "strata/storage/record_batch.h"

namespace strata::schema {

result<batch_verdict, storage::errc> batch_checker::check(std::span<const uint8_t> batch, record_checker& checker) {
    if (batch.size() < storage::batch_header_size) return fail(storage::errc::corrupt_message);
    auto h = storage::batch_header::decode(batch.data());
    auto payload = batch.subspan(storage::batch_header_size, h.size_bytes() - storage::batch_header_size);
    batch_verdict verdict;
    verdict.records = h.records_count;
    if (h.compression() == storage::compression_type::none) {
        verdict.records_section = payload;
    } else {
        if (auto r = decompressor_.decompress(h.compression(), payload, section_); !r) return fail(r.error());
        verdict.records_section = section_;
    }
    storage::record_reader reader(verdict.records_section, h.records_count);
    storage::record_view r;
    for (int32_t index = 0;; ++index) {
        auto more = reader.next(r);
        if (!more) return fail(more.error());
        if (!*more) break;
        auto key = r.key_is_null ? std::nullopt : std::optional(r.key);
        auto value = r.value_is_null ? std::nullopt : std::optional(r.value);
        if (auto failure = checker.check(key, value)) verdict.rejected.push_back({index, std::move(*failure), r});
    }
    return verdict;
}

} // namespace strata::schema
