// log::append_replicated: a follower copying its leader's batches as they are.

#include <spdlog/spdlog.h>

#include "strata/base/crc32c.h"
#include "strata/storage/log.h"
#include "strata/storage/record_batch.h"

namespace strata::storage {

result<append_result, errc> log::append_replicated(std::span<uint8_t> batches, int64_t now_ms) {
    if (batches.empty())
        return fail(errc::invalid_record);
    const int64_t first = log_end_offset();
    int64_t next = first;
    std::vector<epoch_entry> epochs;
    for (size_t off = 0; off < batches.size();) {
        const uint8_t* p = batches.data() + off;
        const size_t left = batches.size() - off;
        if (left < batch_header_size)
            return fail(errc::corrupt_message);
        auto h = batch_header::decode(p);
        if (h.batch_length < int32_t(batch_header_size - batch_length_prefix) || h.size_bytes() > left ||
            h.last_offset_delta < 0)
            return fail(errc::corrupt_message);
        if (h.magic != 2)
            return fail(errc::unsupported_magic);
        if (crc32c(std::span(p + batch_crc_start, h.size_bytes() - batch_crc_start)) != h.crc)
            return fail(errc::corrupt_message);
        // The leader's offsets continue this log, or the follower has diverged.
        if (h.base_offset != next) {
            spdlog::warn("storage: {}: replicated batch at offset {} does not continue the log at {}", dir_.string(),
                         h.base_offset, next);
            return fail(errc::offset_out_of_range);
        }
        if (epochs.empty() || h.partition_leader_epoch > epochs.back().epoch)
            epochs.push_back({h.partition_leader_epoch, h.base_offset});
        next = h.last_offset() + 1;
        off += h.size_bytes();
    }
    if (should_roll(batches.size(), next - 1, now_ms)) {
        if (auto r = roll(now_ms); !r)
            return fail(r.error());
    }
    if (auto r = segments_.back()->append(batches, now_ms); !r)
        return fail(r.error());
    for (size_t off = 0; off < batches.size();) {
        auto h = batch_header::decode(batches.data() + off);
        producers_.apply(h);
        off += h.size_bytes();
    }
    for (const auto& e : epochs)
        if (auto r = epochs_.assign(e.epoch, e.start_offset); !r)
            return fail(r.error());
    return append_result{first, next - 1, -1, log_start_offset_, false};
}

} // namespace strata::storage
