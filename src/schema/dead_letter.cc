#include "strata/schema/dead_letter.h"

#include <string>

#include "strata/storage/batch_builder.h"

namespace strata::schema {

result<std::vector<uint8_t>, storage::errc> build_dead_letter_batch(const dead_letter_origin& origin,
                                                                    std::span<const rejected_record> rejected) {
    using storage::bytes_of;
    const std::string partition = std::to_string(origin.partition);
    storage::batch_builder builder;
    std::vector<storage::record_header> headers;
    std::string schema_id;
    for (const auto& r : rejected) {
        headers.clear();
        for (auto it = r.record.headers();;) {
            storage::record_header_view h;
            if (!it.next(h)) break;
            headers.push_back({h.key, h.value_is_null ? std::nullopt : std::optional(h.value)});
        }
        headers.push_back({bytes_of(dead_letter_header::source_topic), bytes_of(origin.topic)});
        headers.push_back({bytes_of(dead_letter_header::source_partition), bytes_of(partition)});
        headers.push_back({bytes_of(dead_letter_header::reason), bytes_of(r.failure.reason)});
        if (r.failure.schema_id >= 0) {
            schema_id = std::to_string(r.failure.schema_id);
            headers.push_back({bytes_of(dead_letter_header::schema_id), bytes_of(schema_id)});
        }
        builder.add({r.record.key_is_null ? std::nullopt : std::optional(r.record.key),
                     r.record.value_is_null ? std::nullopt : std::optional(r.record.value),
                     origin.base_timestamp + r.record.timestamp_delta, headers});
    }
    return builder.build();
}

} // namespace strata::schema
