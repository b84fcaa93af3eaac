#include "strata/storage/segment.h"

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "strata/base/crc32c.h"
#include "strata/storage/record_batch.h"
#include "strata/storage/record_search.h"
#include "strata/storage/segment_scanner.h"

namespace strata::storage {

std::filesystem::path segment::file_name(const std::filesystem::path& dir, int64_t base_offset, const char* ext) {
    return dir / fmt::format("{:020d}{}", base_offset, ext);
}

result<std::unique_ptr<segment>, errc> segment::create(const std::filesystem::path& dir, int64_t base_offset,
                                                       uint32_t index_interval_bytes, int64_t now_ms,
                                                       const char* suffix) {
    auto name = [&](const char* ext) {
        auto p = file_name(dir, base_offset, ext);
        p += suffix;
        return p;
    };
    std::unique_ptr<segment> s(new segment(base_offset, index_interval_bytes));
    auto log = segment_file::open(name(".log"), true);
    if (!log)
        return fail(log.error());
    s->log_ = std::move(*log);
    auto oi = offset_index::open(name(".index"), base_offset);
    if (!oi)
        return fail(oi.error());
    s->offset_index_ = std::move(*oi);
    auto ti = time_index::open(name(".timeindex"), base_offset);
    if (!ti)
        return fail(ti.error());
    s->time_index_ = std::move(*ti);
    // A leftover from an earlier life of this offset (e.g. after truncation) must not leak in.
    if (s->log_->size() != 0 || s->offset_index_->entries() != 0 || s->time_index_->entries() != 0) {
        if (auto r = s->log_->truncate(0); !r)
            return fail(r.error());
        if (auto r = s->offset_index_->reset(); !r)
            return fail(r.error());
        if (auto r = s->time_index_->reset(); !r)
            return fail(r.error());
    }
    s->rolling_base_ms_ = now_ms;
    return s;
}

result<std::unique_ptr<segment>, errc> segment::open(const std::filesystem::path& dir, int64_t base_offset,
                                                     uint32_t index_interval_bytes, bool recover,
                                                     std::vector<uint8_t>& scratch, int64_t now_ms) {
    std::unique_ptr<segment> s(new segment(base_offset, index_interval_bytes));
    auto log = segment_file::open(file_name(dir, base_offset, ".log"), false);
    if (!log)
        return fail(log.error());
    s->log_ = std::move(*log);
    auto index_path = file_name(dir, base_offset, ".index");
    auto time_path = file_name(dir, base_offset, ".timeindex");
    std::error_code ec;
    bool indexes_present = std::filesystem::exists(index_path, ec) && std::filesystem::exists(time_path, ec);
    auto oi = offset_index::open(index_path, base_offset);
    if (!oi)
        return fail(oi.error());
    s->offset_index_ = std::move(*oi);
    auto ti = time_index::open(time_path, base_offset);
    if (!ti)
        return fail(ti.error());
    s->time_index_ = std::move(*ti);

    bool rebuild = recover || !indexes_present || s->offset_index_->corrupt() || s->time_index_->corrupt();
    if (!rebuild) {
        auto tail = s->load_tail(scratch);
        if (!tail)
            return fail(tail.error());
        rebuild = !*tail || !s->offset_index_->consistent_with(s->size(), s->next_offset_) ||
                  !s->time_index_->consistent_with(s->next_offset_);
    }
    if (rebuild) {
        if (!recover)
            spdlog::warn("storage: rebuilding indexes of {}", s->log_->path());
        auto r = s->recover(scratch);
        if (!r)
            return fail(r.error());
    }
    // Kafka rolls by the first batch's timestamp; capping at now keeps a
    // producer clock in the future from postponing the roll forever.
    s->rolling_base_ms_ = now_ms;
    if (!s->empty()) {
        uint8_t header[batch_header_size];
        auto n = s->log_->pread(header, 0);
        if (!n)
            return fail(n.error());
        if (*n == batch_header_size) {
            int64_t ts = batch_header::decode(header).max_timestamp;
            if (ts >= 0 && ts < now_ms)
                s->rolling_base_ms_ = ts;
        }
    }
    return s;
}

void segment::index_batch(uint64_t position, const batch_header& h) {
    if (h.max_timestamp > max_timestamp_) {
        max_timestamp_ = h.max_timestamp;
        max_timestamp_offset_ = h.last_offset();
    }
    if (bytes_since_index_ > index_interval_) {
        offset_index_->append(h.last_offset(), uint32_t(position));
        time_index_->maybe_append(max_timestamp_, max_timestamp_offset_);
        bytes_since_index_ = 0;
    }
    bytes_since_index_ += h.size_bytes();
    next_offset_ = h.last_offset() + 1;
}

result<void, errc> segment::append(std::span<const uint8_t> batches, int64_t now_ms) {
    uint64_t position = log_->size();
    if (position == 0)
        rolling_base_ms_ = now_ms;
    if (auto r = log_->append(batches); !r)
        return r;
    for (size_t off = 0; off < batches.size();) {
        auto h = batch_header::decode(batches.data() + off);
        index_batch(position + off, h);
        off += h.size_bytes();
    }
    return {};
}

result<bool, errc> segment::load_tail(std::vector<uint8_t>& scratch) {
    auto last = offset_index_->lookup_position(UINT64_MAX);
    if (last.position > size())
        return false;
    next_offset_ = offset_index_->entries() ? last.offset + 1 : base_offset_;
    if (auto t = time_index_->last()) {
        max_timestamp_ = t->timestamp;
        max_timestamp_offset_ = t->offset;
    } else {
        max_timestamp_ = max_timestamp_offset_ = -1;
    }
    segment_scanner scan(*log_, last.position, size(), scratch, false);
    bytes_since_index_ = 0;
    bool first = true;
    for (;;) {
        auto st = scan.next();
        if (!st)
            return fail(st.error());
        if (*st == segment_scanner::status::end)
            return true;
        if (*st == segment_scanner::status::torn)
            return false;
        const auto& h = scan.current().header;
        if (h.max_timestamp > max_timestamp_) {
            max_timestamp_ = h.max_timestamp;
            max_timestamp_offset_ = h.last_offset();
        }
        // The indexed batch itself starts the count afresh, as in index_batch().
        bytes_since_index_ = first && offset_index_->entries() ? h.size_bytes() : bytes_since_index_ + h.size_bytes();
        first = false;
        next_offset_ = h.last_offset() + 1;
    }
}

result<uint64_t, errc> segment::recover(std::vector<uint8_t>& scratch) {
    if (auto r = offset_index_->reset(); !r)
        return fail(r.error());
    if (auto r = time_index_->reset(); !r)
        return fail(r.error());
    next_offset_ = base_offset_;
    max_timestamp_ = max_timestamp_offset_ = -1;
    bytes_since_index_ = 0;
    uint64_t end = size();
    segment_scanner scan(*log_, 0, end, scratch, true, 1 << 20);
    uint64_t valid = 0;
    for (;;) {
        auto st = scan.next();
        if (!st)
            return fail(st.error());
        if (*st != segment_scanner::status::batch)
            break;
        const auto& it = scan.current();
        const auto& h = it.header;
        if (h.magic != 2) {
            spdlog::warn("storage: {} batch at {} has magic {}", log_->path(), it.position, int(h.magic));
            break;
        }
        if (crc32c(it.bytes.subspan(batch_crc_start)) != h.crc) {
            spdlog::warn("storage: {} batch at {} fails its CRC", log_->path(), it.position);
            break;
        }
        if (h.base_offset < next_offset_ || h.last_offset_delta < 0) {
            spdlog::warn("storage: {} batch at {} has offset {} below {}", log_->path(), it.position,
                         h.base_offset, next_offset_);
            break;
        }
        index_batch(it.position, h);
        valid = scan.position();
    }
    if (valid < end) {
        spdlog::warn("storage: {}: truncating {} invalid bytes at position {}", log_->path(), end - valid, valid);
        if (auto r = log_->truncate(valid); !r)
            return fail(r.error());
    }
    if (auto r = flush_indexes(); !r)
        return fail(r.error());
    return end - valid;
}

result<std::optional<segment::located>, errc> segment::find(int64_t offset, std::vector<uint8_t>& scratch) const {
    if (offset >= next_offset_)
        return std::optional<located>{};
    auto e = offset_index_->lookup(offset);
    segment_scanner scan(*log_, e.position, size(), scratch, false, 16 * 1024);
    for (;;) {
        auto st = scan.next();
        if (!st)
            return fail(st.error());
        if (*st == segment_scanner::status::end)
            return std::optional<located>{};
        if (*st == segment_scanner::status::torn) {
            spdlog::error("storage: {} is torn at {}", log_->path(), scan.position());
            return fail(errc::corrupt_message);
        }
        const auto& h = scan.current().header;
        if (h.last_offset() >= offset)
            return std::optional<located>(
                located{scan.current().position, uint32_t(h.size_bytes()), h.base_offset, h.last_offset()});
    }
}

result<uint64_t, errc> segment::boundary_at_or_before(uint64_t from, uint64_t limit,
                                                      std::vector<uint8_t>& scratch) const {
    uint64_t start = std::max<uint64_t>(from, offset_index_->lookup_position(limit).position);
    segment_scanner scan(*log_, start, limit, scratch, false, 16 * 1024);
    for (;;) {
        auto st = scan.next();
        if (!st)
            return fail(st.error());
        // Reaching `limit` mid-batch reads as torn: the boundary is where that batch starts.
        if (*st != segment_scanner::status::batch)
            return scan.position();
    }
}

result<segment::range, errc> segment::read(int64_t start_offset, size_t max_bytes, int64_t max_offset_exclusive,
                                           std::vector<uint8_t>& scratch) const {
    auto first = find(start_offset, scratch);
    if (!first)
        return fail(first.error());
    if (!*first || (*first)->base_offset >= max_offset_exclusive)
        return range{size(), 0};
    const located& f = **first;
    uint64_t end = size();
    if (max_offset_exclusive < next_offset_) {
        auto cut = find(max_offset_exclusive, scratch);
        if (!cut)
            return fail(cut.error());
        if (*cut)
            end = (*cut)->base_offset >= max_offset_exclusive ? (*cut)->position : (*cut)->position + (*cut)->size;
    }
    if (end - f.position > max_bytes) {
        auto b = boundary_at_or_before(f.position, f.position + max_bytes, scratch);
        if (!b)
            return fail(b.error());
        // KIP-74: a fetch returns at least one whole batch, however large.
        end = *b > f.position ? *b : f.position + f.size;
    }
    // The range ends where the next batch starts, so nothing in it reaches
    // that batch's base offset (compaction may have left a gap before it).
    int64_t last = next_offset_ - 1;
    if (end < size()) {
        uint8_t base[8];
        auto got = log_->pread(std::span(base), end);
        if (!got)
            return fail(got.error());
        if (*got == sizeof base)
            last = int64_t(be::load64(base)) - 1;
    }
    return range{f.position, uint32_t(end - f.position), last};
}

result<std::optional<segment::timestamp_hit>, errc> segment::find_by_timestamp(int64_t timestamp,
                                                                               std::vector<uint8_t>& scratch) const {
    if (max_timestamp_ < timestamp)
        return std::optional<timestamp_hit>{};
    auto te = time_index_->lookup(timestamp);
    auto start = offset_index_->lookup(te ? te->offset : base_offset_);
    // Whole batches: the answer is a record inside the first batch that reaches the time.
    segment_scanner scan(*log_, start.position, size(), scratch, true, 64 * 1024);
    for (;;) {
        auto st = scan.next();
        if (!st)
            return fail(st.error());
        if (*st != segment_scanner::status::batch)
            return std::optional<timestamp_hit>{};
        const auto& h = scan.current().header;
        if (h.max_timestamp < timestamp)
            continue;
        auto hit = first_record_at_or_after(scan.current().bytes, timestamp);
        if (!hit)
            return fail(hit.error());
        if (*hit)
            return std::optional<timestamp_hit>(timestamp_hit{(*hit)->offset, (*hit)->timestamp});
    }
}

result<void, errc> segment::truncate_to(int64_t offset, std::vector<uint8_t>& scratch) {
    auto loc = find(offset, scratch);
    if (!loc)
        return fail(loc.error());
    if (!*loc)
        return {};
    if (auto r = log_->truncate((*loc)->position); !r)
        return r;
    if (auto r = offset_index_->truncate_to((*loc)->base_offset); !r)
        return r;
    if (auto r = time_index_->truncate_to((*loc)->base_offset); !r)
        return r;
    auto tail = load_tail(scratch);
    if (!tail)
        return fail(tail.error());
    return {};
}

result<void, errc> segment::flush_indexes() {
    if (auto r = offset_index_->flush(); !r)
        return r;
    return time_index_->flush();
}

result<void, errc> segment::seal() {
    if (max_timestamp_ >= 0)
        time_index_->maybe_append(max_timestamp_, max_timestamp_offset_);
    return flush_indexes();
}

result<void, errc> segment::remove() {
    if (auto r = log_->unlink(); !r)
        return r;
    return remove_indexes();
}

result<void, errc> segment::remove_indexes() {
    if (auto r = offset_index_->file()->unlink(); !r)
        return r;
    return time_index_->file()->unlink();
}

result<void, errc> segment::sync() {
    if (auto r = log_->sync(); !r)
        return r;
    if (auto r = offset_index_->file()->sync(); !r)
        return r;
    return time_index_->file()->sync();
}

void segment::relocate(const std::filesystem::path& dir) {
    log_->set_path(file_name(dir, base_offset_, ".log").string());
    offset_index_->file()->set_path(file_name(dir, base_offset_, ".index").string());
    time_index_->file()->set_path(file_name(dir, base_offset_, ".timeindex").string());
}

} // namespace strata::storage
