// log: the operations that remove data — retention, DeleteRecords,
// truncation — and the log start offset checkpoint they move.
#include "strata/storage/log.h"
#include "strata/storage/offset_checkpoint.h"
#include "strata/storage/producer_snapshot.h"

namespace strata::storage {

result<uint64_t, errc> log::delete_oldest() {
    generation_ = next_generation();
    auto& s = segments_.front();
    uint64_t bytes = s->size();
    if (auto r = s->remove(); !r)
        return fail(r.error());
    segments_.erase(segments_.begin());
    log_start_offset_ = std::max(log_start_offset_, segments_.front()->base_offset());
    return bytes;
}

result<uint64_t, errc> log::apply_retention(int64_t now_ms) {
    const int64_t start_before = log_start_offset_;
    uint64_t deleted = 0;
    auto drop = [&]() -> result<void, errc> {
        auto r = delete_oldest();
        if (!r)
            return fail(r.error());
        deleted += *r;
        return {};
    };
    // Wholly below the start offset (DeleteRecords, or a checkpoint from before a crash).
    while (segments_.size() > 1 && segments_[1]->base_offset() <= log_start_offset_)
        if (auto r = drop(); !r)
            return fail(r.error());
    // Time and size apply to cleanup.policy=delete (alone or with compact);
    // a compact-only log keeps every segment and leaves old values to the cleaner.
    if (cfg_.cleanup_delete && cfg_.retention_ms >= 0) {
        while (segments_.size() > 1) {
            const segment& s = *segments_.front();
            int64_t ts = s.max_timestamp() >= 0 ? s.max_timestamp() : s.rolling_base_ms();
            if (now_ms - ts <= cfg_.retention_ms)
                break;
            if (auto r = drop(); !r)
                return fail(r.error());
        }
    }
    if (cfg_.cleanup_delete && cfg_.retention_bytes >= 0) {
        uint64_t total = size_bytes();
        while (segments_.size() > 1 && total - segments_.front()->size() >= uint64_t(cfg_.retention_bytes)) {
            total -= segments_.front()->size();
            if (auto r = drop(); !r)
                return fail(r.error());
        }
    }
    if (log_start_offset_ != start_before)
        if (auto r = write_start_offset(); !r)
            return fail(r.error());
    return deleted;
}

result<int64_t, errc> log::delete_records_before(int64_t offset) {
    if (offset > log_end_offset())
        return fail(errc::offset_out_of_range);
    if (offset <= log_start_offset_)
        return log_start_offset_;
    log_start_offset_ = offset;
    while (segments_.size() > 1 && segments_[1]->base_offset() <= log_start_offset_)
        if (auto r = delete_oldest(); !r)
            return fail(r.error());
    if (auto r = write_start_offset(); !r)
        return fail(r.error());
    return log_start_offset_;
}

result<void, errc> log::truncate_to(int64_t offset, int64_t now_ms) {
    if (offset >= log_end_offset())
        return {};
    generation_ = next_generation();
    if (offset <= segments_.front()->base_offset()) {
        // Nothing survives: start afresh at `offset`.
        if (auto r = start_afresh(offset, now_ms); !r)
            return r;
    } else {
        while (segments_.back()->base_offset() >= offset) {
            if (auto r = segments_.back()->remove(); !r)
                return r;
            segments_.pop_back();
        }
        if (auto r = segments_.back()->truncate_to(offset, scratch()); !r)
            return r;
        if (auto r = segments_.back()->flush_indexes(); !r)
            return r;
        log_start_offset_ = std::min(log_start_offset_, log_end_offset());
    }
    return after_truncation();
}

result<void, errc> log::restart_at(int64_t offset, int64_t now_ms) {
    generation_ = next_generation();
    if (auto r = epochs_.clear(); !r)
        return r;
    if (auto r = start_afresh(offset, now_ms); !r)
        return r;
    auto r = after_truncation();
    // Nothing below the new start is this log's to sync.
    durable_offset_ = std::max(durable_offset_, offset);
    return r;
}

result<void, errc> log::start_afresh(int64_t offset, int64_t now_ms) {
    for (const auto& s : segments_)
        if (auto r = s->remove(); !r)
            return r;
    segments_.clear();
    producer_snapshot::remove_outside(dir_, INT64_MAX, INT64_MAX);
    auto s = segment::create(dir_, offset, cfg_.index_interval_bytes, now_ms);
    if (!s)
        return fail(s.error());
    segments_.push_back(std::move(*s));
    log_start_offset_ = offset;
    return write_start_offset();
}

result<void, errc> log::after_truncation() {
    durable_offset_ = std::min(durable_offset_, log_end_offset());
    pending_sync_.push_back(segments_.back()->log_file());
    if (auto r = epochs_.truncate_from_end(log_end_offset()); !r)
        return r;
    // Batches past the cut may have advanced producers: reload from a snapshot
    // not past the new end (newer ones are deleted) and replay.
    auto r = restore_producer_state();
    trim_scratch();
    return r;
}

result<void, errc> log::write_start_offset() {
    if (auto r = epochs_.truncate_from_start(log_start_offset_); !r)
        return r;
    return write_offset_checkpoint(dir_ / start_offset_file, log_start_offset_);
}

result<int64_t, errc> log::read_start_offset() const { return read_offset_checkpoint(dir_ / start_offset_file); }

} // namespace strata::storage
