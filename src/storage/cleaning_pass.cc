#include "strata/storage/cleaning_pass.h"

#include <algorithm>
#include <climits>

#include <spdlog/spdlog.h>

#include "strata/storage/batch_filter.h"
#include "strata/storage/record_batch.h"
#include "strata/storage/segment_scanner.h"

namespace strata::storage {

namespace {
constexpr size_t scan_chunk = 256 * 1024;
// Output is written in pieces of about this size rather than batch by batch.
constexpr size_t write_chunk = 1 << 20;
} // namespace

cleanable_section cleaning_pass::assess(const log& l, int64_t now_ms) {
    cleanable_section s;
    const auto& cfg = l.config();
    const size_t active = l.segment_count() - 1;
    const int64_t active_base = l.segment_at(active).base_offset();
    // Kafka resets a checkpoint outside the log to the log start.
    s.first_dirty = l.cleaner_offset();
    if (s.first_dirty < l.log_start_offset() || s.first_dirty > active_base)
        s.first_dirty = l.log_start_offset();
    s.end = active_base;
    bool seen_dirty = false;
    for (size_t i = 0; i < active; ++i) {
        const segment& seg = l.segment_at(i);
        if (seg.next_offset() <= s.first_dirty && seg.base_offset() < s.first_dirty) {
            s.clean_bytes += seg.size();
            continue;
        }
        if (cfg.min_compaction_lag_ms > 0 && seg.max_timestamp() > now_ms - cfg.min_compaction_lag_ms) {
            s.end = seg.base_offset();
            break;
        }
        if (!seen_dirty && !seg.empty()) {
            seen_dirty = true;
            s.max_lag_exceeded = now_ms - seg.rolling_base_ms() > cfg.max_compaction_lag_ms;
        }
        s.dirty_bytes += seg.size();
    }
    return s;
}

cleaning_pass::cleaning_pass(log& l, int64_t now_ms, size_t map_memory_bytes)
    : log_(l), generation_(l.generation()), section_(assess(l, now_ms)), map_limit_(map_memory_bytes) {
    map_end_ = std::max(section_.first_dirty, section_.end);
    cursor_base_ = log_.segment_at(log_.segment_index(section_.first_dirty)).base_offset();
}

cleaning_pass::~cleaning_pass() { abandon_output(); }

void cleaning_pass::abandon_output() {
    if (out_)
        (void)out_->remove();
    out_.reset();
    pending_.clear();
}

result<cleaning_pass::state, errc> cleaning_pass::run(int64_t now_ms) {
    for (;;) {
        auto r = step(now_ms, UINT64_MAX);
        if (!r || *r != state::working)
            return r;
    }
}

result<cleaning_pass::state, errc> cleaning_pass::step(int64_t now_ms, uint64_t budget_bytes) {
    if (log_.generation() != generation_ || !log_.config().cleanup_compact) {
        abandon_output();
        return state::abandoned;
    }
    uint64_t budget = std::max<uint64_t>(budget_bytes, 1);
    auto failed = [&](errc e) {
        abandon_output();
        return fail(e);
    };
    if (mapping_) {
        auto mapped = map_step(budget);
        if (!mapped)
            return failed(mapped.error());
        if (!*mapped)
            return state::working;
        mapping_ = false;
        cursor_base_ = log_.segment_at(0).base_offset();
        cursor_pos_ = 0;
    }
    auto cleaned = clean_step(now_ms, budget);
    if (!cleaned)
        return failed(cleaned.error());
    if (!*cleaned)
        return state::working;
    if (auto r = log_.set_cleaner_offset(std::max(map_end_, section_.first_dirty)); !r)
        return fail(r.error());
    return state::done;
}

result<std::span<const uint8_t>, errc> cleaning_pass::records_of(std::span<const uint8_t> batch,
                                                                 const batch_header& h) {
    std::span<const uint8_t> records = batch.subspan(batch_header_size);
    if (h.compression() == compression_type::none)
        return records;
    if (auto r = codec_.decompress(h.compression(), records, plain_); !r)
        return fail(r.error());
    return std::span<const uint8_t>(plain_);
}

template<class F>
result<cleaning_pass::scan_end, errc> cleaning_pass::scan(const segment& s, uint64_t& budget, F&& on_batch) {
    segment_scanner scan(*s.log_file(), cursor_pos_, s.size(), in_, true, scan_chunk);
    for (;;) {
        if (budget == 0)
            return scan_end::budget;
        auto st = scan.next();
        if (!st)
            return fail(st.error());
        if (*st == segment_scanner::status::end)
            return scan_end::segment;
        if (*st == segment_scanner::status::torn)
            return fail(errc::corrupt_message);
        const auto& it = scan.current();
        cursor_pos_ = scan.position();
        budget -= std::min<uint64_t>(budget, it.header.size_bytes());
        stats_.bytes_read += it.header.size_bytes();
        auto stop = on_batch(it.bytes, it.header);
        if (!stop)
            return fail(stop.error());
        if (*stop)
            return scan_end::stopped;
    }
}

result<bool, errc> cleaning_pass::map_step(uint64_t& budget) {
    for (;;) {
        const size_t i = log_.segment_index(cursor_base_);
        if (i + 1 >= log_.segment_count() || log_.segment_at(i).base_offset() >= section_.end)
            return true;
        auto end = scan(log_.segment_at(i), budget,
                        [&](std::span<const uint8_t> batch, const batch_header& h) -> result<bool, errc> {
                            if (h.last_offset() < section_.first_dirty || h.is_control())
                                return false;
                            if (auto r = map_batch(batch, h); !r)
                                return fail(r.error());
                            if (map_.memory_bytes() < map_limit_)
                                return false;
                            // Full: the dirty section this pass cleans ends after this batch.
                            map_end_ = h.last_offset() + 1;
                            return true;
                        });
        if (!end)
            return fail(end.error());
        if (*end != scan_end::segment)
            return *end == scan_end::stopped;
        cursor_base_ = log_.segment_at(i + 1).base_offset();
        cursor_pos_ = 0;
    }
}

result<void, errc> cleaning_pass::map_batch(std::span<const uint8_t> batch, const batch_header& h) {
    auto records = records_of(batch, h);
    if (!records)
        return fail(records.error());
    record_reader reader(*records, h.records_count);
    record_view rec;
    for (;;) {
        auto more = reader.next(rec);
        if (!more)
            return fail(more.error());
        if (!*more)
            return {};
        const int64_t offset = h.base_offset + rec.offset_delta;
        if (!rec.key_is_null && offset >= section_.first_dirty)
            map_.put(rec.key, offset);
    }
}

result<bool, errc> cleaning_pass::clean_step(int64_t now_ms, uint64_t& budget) {
    for (;;) {
        if (!out_) {
            const size_t first = log_.segment_index(cursor_base_);
            if (first + 1 >= log_.segment_count() || log_.segment_at(first).base_offset() >= map_end_)
                return true;
            if (auto r = start_group(first, now_ms); !r)
                return fail(r.error());
        }
        const size_t i = log_.segment_index(cursor_base_);
        auto end = scan(log_.segment_at(i), budget,
                        [&](std::span<const uint8_t> batch, const batch_header& h) -> result<bool, errc> {
                            if (auto r = clean_batch(batch, h, now_ms); !r)
                                return fail(r.error());
                            return false;
                        });
        if (!end)
            return fail(end.error());
        if (*end == scan_end::budget) {
            if (auto r = flush_output(now_ms); !r)
                return fail(r.error());
            return false;
        }
        cursor_pos_ = 0;
        if (i + 1 < group_first_ + group_count_) {
            cursor_base_ = log_.segment_at(i + 1).base_offset();
            continue;
        }
        // The group is read; after the swap its successor keeps its base offset.
        cursor_base_ = log_.segment_at(group_first_ + group_count_).base_offset();
        if (auto r = finish_group(now_ms); !r)
            return fail(r.error());
    }
}

result<void, errc> cleaning_pass::start_group(size_t first, int64_t now_ms) {
    const auto& cfg = log_.config();
    // Positions in the indexes are uint32 and segments hold at most INT32_MAX offsets.
    const uint64_t max_bytes = std::min<uint64_t>(cfg.segment_bytes, INT32_MAX);
    const int64_t base = log_.segment_at(first).base_offset();
    size_t count = 0;
    uint64_t bytes = 0;
    for (size_t j = first; j + 1 < log_.segment_count(); ++j) {
        const segment& s = log_.segment_at(j);
        if (s.base_offset() >= map_end_)
            break;
        if (count > 0 && (bytes + s.size() > max_bytes || s.next_offset() - 1 - base > INT32_MAX))
            break;
        bytes += s.size();
        ++count;
    }
    auto out = segment::create(log_.dir(), base, cfg.index_interval_bytes, now_ms, ".cleaned");
    if (!out)
        return fail(out.error());
    out_ = std::move(*out);
    group_first_ = first;
    group_count_ = count;
    group_bytes_ = bytes;
    group_changed_ = count > 1;
    cursor_base_ = base;
    cursor_pos_ = 0;
    return {};
}

result<void, errc> cleaning_pass::finish_group(int64_t now_ms) {
    if (auto r = flush_output(now_ms); !r)
        return r;
    stats_.bytes_before += group_bytes_;
    stats_.segments_before += group_count_;
    if (!group_changed_) {
        // Nothing to gain from swapping in an identical copy.
        abandon_output();
        stats_.bytes_after += group_bytes_;
        stats_.segments_after += group_count_;
        return {};
    }
    stats_.bytes_after += out_->size();
    stats_.segments_after += 1;
    return log_.replace_segments(group_first_, group_count_, std::move(out_));
}

bool cleaning_pass::keep_record(const record_view& r, int64_t offset, bool tombstones_expired) const {
    if (r.key_is_null)
        return false;
    if (auto latest = map_.get(r.key); latest && *latest > offset)
        return false;
    return !(r.value_is_null && tombstones_expired);
}

bool cleaning_pass::last_of_producer(const batch_header& h) const {
    if (!h.has_producer_id())
        return false;
    const auto* e = log_.producers().find(h.producer_id);
    return e && e->count > 0 && e->last().last_offset == h.last_offset();
}

result<void, errc> cleaning_pass::clean_batch(std::span<const uint8_t> batch, const batch_header& h,
                                              int64_t now_ms) {
    // Past the mapped range (which ends at a batch boundary) nothing is known
    // about later records: even a tombstone may be the only thing hiding an
    // older value, so everything stays.
    if (h.is_control() || h.base_offset >= map_end_)
        return write(batch, now_ms);
    if (h.records_count == 0) {
        // An empty batch left by an earlier pass stays while its producer has nothing later.
        if (last_of_producer(h))
            return write(batch, now_ms);
        group_changed_ = true;
        return {};
    }
    auto records = records_of(batch, h);
    if (!records)
        return fail(records.error());
    const bool tombstones_expired = h.max_timestamp < now_ms - log_.config().delete_retention_ms;
    keep_.assign(size_t(h.records_count), false);
    record_reader reader(*records, h.records_count);
    record_view rec;
    int32_t kept = 0;
    for (size_t i = 0;; ++i) {
        auto more = reader.next(rec);
        if (!more)
            return fail(more.error());
        if (!*more)
            break;
        const int64_t offset = h.base_offset + rec.offset_delta;
        if (keep_record(rec, offset, tombstones_expired)) {
            keep_[i] = true;
            ++kept;
        } else {
            ++stats_.records_removed;
            if (rec.value_is_null)
                ++stats_.tombstones_removed;
        }
    }
    if (kept == h.records_count)
        return write(batch, now_ms);
    group_changed_ = true;
    if (kept == 0) {
        if (!last_of_producer(h))
            return {};
        ++stats_.empty_batches_kept;
    }
    auto filtered = filter_batch(batch, *records, keep_);
    if (!filtered)
        return fail(filtered.error());
    return write(*filtered, now_ms);
}

result<void, errc> cleaning_pass::write(std::span<const uint8_t> bytes, int64_t now_ms) {
    pending_.insert(pending_.end(), bytes.begin(), bytes.end());
    if (pending_.size() < write_chunk)
        return {};
    if (auto r = out_->append(pending_, now_ms); !r)
        return r;
    pending_.clear();
    return {};
}

result<void, errc> cleaning_pass::flush_output(int64_t now_ms) {
    if (!out_)
        return {};
    if (!pending_.empty()) {
        if (auto r = out_->append(pending_, now_ms); !r)
            return r;
        pending_.clear();
    }
    // The swap syncs the output (log::replace_segments). Starting its
    // writeback as it grows keeps that sync short without waiting on the
    // broker thread at every step, as an fdatasync here did.
    return out_->log_file()->start_writeback();
}

} // namespace strata::storage
