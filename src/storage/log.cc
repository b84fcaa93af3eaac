#include "strata/storage/log.h"

#include <algorithm>
#include <charconv>

#include <spdlog/spdlog.h>

#include "strata/base/crc32c.h"
#include "strata/storage/io_error_text.h"
#include "strata/storage/offset_checkpoint.h"
#include "strata/storage/producer_snapshot.h"
#include "strata/storage/record_batch.h"
#include "strata/storage/segment_scanner.h"

namespace strata::storage {

namespace {
// Relative offsets in the indexes are uint32, so a segment spans at most this many offsets.
constexpr int64_t max_relative_offset = INT32_MAX;

// Parses "<20 digits>.log"; -1 for anything else.
int64_t parse_segment_name(const std::string& name) {
    if (name.size() != 24 || name.compare(20, 4, ".log") != 0)
        return -1;
    int64_t v = -1;
    auto [p, ec] = std::from_chars(name.data(), name.data() + 20, v);
    return ec == std::errc() && p == name.data() + 20 ? v : -1;
}
} // namespace

result<std::unique_ptr<log>, errc> log::open(std::filesystem::path dir, log_config cfg, bool clean_shutdown,
                                             int64_t now_ms) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        spdlog::error("storage: cannot create {}: {}", dir.string(), io_error_text(ec.value()));
        return fail(errc::io_error);
    }
    std::unique_ptr<log> l(new log(std::move(dir), cfg));
    // A log that did not open is never closed: closing writes the start
    // offset and a producer snapshot, which a half-loaded log would get wrong
    // (and with no segment loaded it has no active segment to seal).
    if (auto r = l->load_segments(clean_shutdown, now_ms); !r) {
        l->closed_ = true;
        return fail(r.error());
    }
    if (auto r = l->restore_producer_state(); !r) {
        l->closed_ = true;
        return fail(r.error());
    }
    l->epochs_.load();
    // A log written before epochs were kept (or by a single broker, whose
    // epoch is 0) holds epoch 0 from its start.
    if (!l->epochs_.latest_epoch() && l->log_end_offset() > l->log_start_offset_)
        if (auto r = l->epochs_.assign(0, l->log_start_offset_); !r) {
            l->closed_ = true;
            return fail(r.error());
        }
    l->durable_offset_ = l->log_end_offset();
    trim_scratch();
    return l;
}

std::vector<uint8_t>& log::scratch() {
    thread_local std::vector<uint8_t> buffer;
    return buffer;
}

void log::trim_scratch() {
    auto& b = scratch();
    if (b.capacity() > 64 * 1024) {
        b.clear();
        b.shrink_to_fit();
    }
}

log::~log() {
    if (!closed_)
        (void)close();
}

result<void, errc> log::load_segments(bool clean_shutdown, int64_t now_ms) {
    if (auto r = finish_interrupted_cleaning(); !r)
        return r;
    std::vector<int64_t> bases;
    std::error_code ec;
    for (const auto& de : std::filesystem::directory_iterator(dir_, ec)) {
        int64_t base = parse_segment_name(de.path().filename().string());
        if (base >= 0)
            bases.push_back(base);
    }
    if (ec) {
        spdlog::error("storage: cannot list {}: {}", dir_.string(), io_error_text(ec.value()));
        return fail(errc::io_error);
    }
    std::sort(bases.begin(), bases.end());
    auto checkpoint = read_start_offset();
    if (!checkpoint)
        return fail(checkpoint.error());
    auto cleaned_to = read_offset_checkpoint(dir_ / cleaner_offset_file);
    if (!cleaned_to)
        return fail(cleaned_to.error());
    cleaner_offset_ = *cleaned_to;
    for (size_t i = 0; i < bases.size(); ++i) {
        bool active = i + 1 == bases.size();
        auto s = segment::open(dir_, bases[i], cfg_.index_interval_bytes, active && !clean_shutdown, scratch(), now_ms);
        if (!s)
            return fail(s.error());
        segments_.push_back(std::move(*s));
    }
    if (segments_.empty()) {
        auto s = segment::create(dir_, std::max<int64_t>(*checkpoint, 0), cfg_.index_interval_bytes, now_ms);
        if (!s)
            return fail(s.error());
        segments_.push_back(std::move(*s));
    }
    log_start_offset_ = std::clamp(*checkpoint, segments_.front()->base_offset(), log_end_offset());
    return {};
}

result<void, errc> log::restore_producer_state() {
    producers_.clear();
    const int64_t leo = log_end_offset();
    int64_t from = segments_.front()->base_offset();
    auto snapshots = producer_snapshot::list(dir_);
    for (auto it = snapshots.rbegin(); it != snapshots.rend(); ++it) {
        if (*it > leo)
            continue;
        auto loaded = producer_snapshot::read(producer_snapshot::file_name(dir_, *it), producers_);
        if (!loaded)
            return fail(loaded.error());
        if (*loaded) {
            from = *it;
            break;
        }
    }
    // Snapshots past the log end describe batches lost to a crash or a truncation.
    producer_snapshot::remove_outside(dir_, INT64_MIN, leo);
    for (const auto& s : segments_) {
        if (s->next_offset() <= from)
            continue;
        uint64_t position = 0;
        if (s->base_offset() < from) {
            auto loc = s->find(from, scratch());
            if (!loc)
                return fail(loc.error());
            if (!*loc)
                continue;
            position = (*loc)->position;
        }
        segment_scanner scan(*s->log_file(), position, s->size(), scratch(), false, 256 * 1024);
        for (;;) {
            auto st = scan.next();
            if (!st)
                return fail(st.error());
            if (*st != segment_scanner::status::batch)
                break;
            if (scan.current().header.base_offset >= from)
                producers_.apply(scan.current().header);
        }
    }
    return {};
}

result<void, errc> log::write_producer_snapshot(bool sync) {
    if (auto r = producer_snapshot::write(dir_, log_end_offset(), producers_, sync); !r)
        return r;
    auto snapshots = producer_snapshot::list(dir_);
    if (snapshots.size() > 2)
        producer_snapshot::remove_outside(dir_, snapshots[snapshots.size() - 2], INT64_MAX);
    return {};
}

bool log::should_roll(size_t append_bytes, int64_t last_offset, int64_t now_ms) const {
    const segment& active = *segments_.back();
    if (active.empty())
        return false;
    // Index positions are uint32 and Kafka's segment.bytes is an int: cap there.
    const uint64_t max_bytes = std::min<uint64_t>(cfg_.segment_bytes, INT32_MAX);
    return active.size() + append_bytes > max_bytes || now_ms - active.rolling_base_ms() > cfg_.roll_ms() ||
           last_offset - active.base_offset() > max_relative_offset;
}

result<void, errc> log::roll(int64_t now_ms) {
    segment& old = *segments_.back();
    if (auto r = old.seal(); !r)
        return r;
    pending_sync_.push_back(old.log_file());
    pending_sync_.push_back(old.offset_idx().file());
    pending_sync_.push_back(old.time_idx().file());
    auto s = segment::create(dir_, old.next_offset(), cfg_.index_interval_bytes, now_ms);
    if (!s)
        return fail(s.error());
    segments_.push_back(std::move(*s));
    // Not synced: a snapshot lost or torn in a crash only means a longer replay.
    return write_producer_snapshot(false);
}

bool log::timestamps_acceptable(const batch_header& h, int64_t now_ms) const {
    // Kafka checks every record; the batch's max timestamp bounds the future side
    // exactly, and its base (first record's) timestamp stands for the past side.
    if (h.max_timestamp > now_ms && h.max_timestamp - now_ms > cfg_.timestamp_after_max_ms)
        return false;
    if (cfg_.timestamp_before_max_ms != INT64_MAX && h.base_timestamp >= 0 &&
        now_ms - h.base_timestamp > cfg_.timestamp_before_max_ms)
        return false;
    return true;
}

void log::stamp_log_append_time(std::span<uint8_t> batch, int64_t now_ms) {
    uint8_t* p = batch.data();
    auto attributes = uint16_t(be::load16(p + batch_field::attributes) | 0x08);
    p[batch_field::attributes] = uint8_t(attributes >> 8);
    p[batch_field::attributes + 1] = uint8_t(attributes);
    be::store64(p + batch_field::max_timestamp, uint64_t(now_ms));
    // Attributes and max timestamp are covered by the CRC.
    be::store32(p + batch_field::crc, crc32c(batch.subspan(batch_crc_start)));
}

result<append_result, errc> log::append(std::span<uint8_t> batches, int32_t leader_epoch, int64_t now_ms) {
    if (batches.empty())
        return fail(errc::invalid_record);
    const int64_t first = log_end_offset();
    int64_t next = first;
    for (size_t off = 0; off < batches.size();) {
        uint8_t* p = batches.data() + off;
        size_t left = batches.size() - off;
        if (left < batch_header_size)
            return producers_.discard(), fail(errc::corrupt_message);
        auto h = batch_header::decode(p);
        if (h.batch_length < int32_t(batch_header_size - batch_length_prefix) || h.size_bytes() > left ||
            h.last_offset_delta < 0)
            return producers_.discard(), fail(errc::corrupt_message);
        if (h.magic != 2)
            return producers_.discard(), fail(errc::unsupported_magic);
        if (h.size_bytes() > cfg_.max_message_bytes)
            return producers_.discard(), fail(errc::message_too_large);
        if (!cfg_.log_append_time && !timestamps_acceptable(h, now_ms))
            return producers_.discard(), fail(errc::invalid_timestamp);
        int64_t last = next + h.last_offset_delta;
        if (producer_state::is_idempotent(h)) {
            auto o = producers_.check_and_stage(h, next, last);
            if (!o) {
                const auto* known = producers_.find(h.producer_id);
                if (o.error() == errc::duplicate_sequence && known && known->count) {
                    // Written before the oldest batch remembered, so before its first offset.
                    const int64_t before = known->batches[known->head].first_offset;
                    producers_.discard();
                    return append_result{-1, before - 1, -1, log_start_offset_, true, true};
                }
                // What the log holds tells why (a producer's retries repeat it).
                spdlog::info("storage: {}: producer {} epoch {} sent sequences {}-{}; the log holds epoch {} up to "
                             "sequence {} (offset {}): {}",
                             dir_.filename().string(), h.producer_id, h.producer_epoch, h.base_sequence,
                             h.last_sequence(), known ? known->epoch : -1,
                             known && known->count ? known->last().last_seq : -1,
                             known && known->count ? known->last().last_offset : -1, to_string(o.error()));
                return producers_.discard(), fail(o.error());
            }
            if (o->duplicate) {
                // Kafka answers the whole payload with the duplicate's offsets.
                producers_.discard();
                return append_result{o->first_offset, o->last_offset, -1, log_start_offset_, true};
            }
        }
        // Neither field is covered by the CRC, so patching keeps the batch valid.
        be::store64(p + batch_field::base_offset, uint64_t(next));
        be::store32(p + batch_field::partition_leader_epoch, uint32_t(leader_epoch));
        if (cfg_.log_append_time)
            stamp_log_append_time(std::span(p, h.size_bytes()), now_ms);
        next = last + 1;
        off += h.size_bytes();
    }
    if (should_roll(batches.size(), next - 1, now_ms)) {
        if (auto r = roll(now_ms); !r)
            return producers_.discard(), fail(r.error());
    }
    if (auto r = segments_.back()->append(batches, now_ms); !r)
        return producers_.discard(), fail(r.error());
    producers_.commit();
    // A no-op unless this is the first append of a new leader epoch.
    if (auto r = epochs_.assign(leader_epoch, first); !r)
        return fail(r.error());
    return append_result{first, next - 1, cfg_.log_append_time ? now_ms : -1, log_start_offset_, false};
}

result<producer_state::outcome, errc> log::check_producer(const batch_header& h) {
    if (!producer_state::is_idempotent(h)) return producer_state::outcome{};
    const int64_t next = log_end_offset();
    auto o = producers_.check_and_stage(h, next, next + h.last_offset_delta);
    producers_.discard();
    return o;
}

result<read_result, errc> log::read(int64_t start_offset, size_t max_bytes, int64_t max_offset_exclusive) {
    const int64_t leo = log_end_offset();
    if (start_offset < log_start_offset_ || start_offset > leo)
        return fail(errc::offset_out_of_range);
    read_result out{{segments_.back()->log_file(), segments_.back()->size(), 0}, log_start_offset_, leo};
    // Nothing at or past the high watermark is visible.
    if (start_offset == leo || start_offset >= max_offset_exclusive)
        return out;
    auto it = std::upper_bound(segments_.begin(), segments_.end(), start_offset,
                               [](int64_t o, const auto& s) { return o < s->base_offset(); });
    if (it != segments_.begin())
        --it;
    for (; it != segments_.end(); ++it) {
        auto r = (*it)->read(start_offset, max_bytes, max_offset_exclusive, scratch());
        if (!r)
            return fail(r.error());
        // Nothing returned from a segment holding batches past start_offset:
        // they are all at or past max_offset_exclusive, and so are later ones.
        if (r->size > 0 || (!(*it)->empty() && (*it)->next_offset() > start_offset)) {
            out.slice = file_slice{(*it)->log_file(), r->position, r->size};
            out.last_offset = r->last_offset;
            return out;
        }
        // start_offset lies past this segment's batches, or compaction emptied
        // it (a gap): the next segment has them.
    }
    return out;
}

result<timestamp_offset, errc> log::find_offset_by_timestamp(int64_t ts) {
    for (const auto& s : segments_) {
        if (s->max_timestamp() < ts)
            continue;
        auto hit = s->find_by_timestamp(ts, scratch());
        if (!hit)
            return fail(hit.error());
        if (*hit)
            return timestamp_offset{std::max((*hit)->offset, log_start_offset_), (*hit)->timestamp};
    }
    return timestamp_offset{};
}

result<timestamp_offset, errc> log::max_timestamp_offset() const {
    const segment* best = nullptr;
    for (const auto& s : segments_)
        if (!s->empty() && (!best || s->max_timestamp() > best->max_timestamp()))
            best = s.get();
    if (!best || best->max_timestamp() < 0)
        return timestamp_offset{};
    // The segment knows the batch; the record inside it holding the time is the answer.
    auto hit = best->find_by_timestamp(best->max_timestamp(), scratch());
    if (!hit)
        return fail(hit.error());
    if (!*hit)
        return timestamp_offset{};
    return timestamp_offset{std::max((*hit)->offset, log_start_offset_), (*hit)->timestamp};
}

flush_request log::prepare_flush() {
    flush_request req;
    req.files = std::move(pending_sync_);
    pending_sync_.clear();
    req.offset = log_end_offset();
    if (durable_offset_ < req.offset)
        req.files.push_back(segments_.back()->log_file());
    return req;
}

void log::mark_durable(int64_t offset) {
    durable_offset_ = std::max(durable_offset_, std::min(offset, log_end_offset()));
}

uint64_t log::size_bytes() const {
    uint64_t total = 0;
    for (const auto& s : segments_)
        total += s->size();
    return total;
}

result<void, errc> log::close() {
    if (closed_)
        return {};
    closed_ = true;
    generation_ = next_generation();
    if (auto r = segments_.back()->seal(); !r)
        return r;
    for (const auto& s : segments_)
        if (auto r = s->flush_indexes(); !r)
            return r;
    auto req = prepare_flush();
    const segment& active = *segments_.back();
    req.files.push_back(active.offset_idx().file());
    req.files.push_back(active.time_idx().file());
    if (auto r = req.sync(); !r)
        return r;
    mark_durable(req.offset);
    if (auto r = write_producer_snapshot(true); !r)
        return r;
    return write_start_offset();
}

void log::relocate(const std::filesystem::path& dir) {
    dir_ = dir;
    epochs_.relocate(dir);
    generation_ = next_generation();
    for (const auto& s : segments_)
        s->relocate(dir);
}

result<void, errc> log::remove_files() {
    closed_ = true;
    generation_ = next_generation();
    for (const auto& s : segments_)
        if (auto r = s->remove(); !r)
            return r;
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    if (ec) {
        spdlog::error("storage: cannot remove {}: {}", dir_.string(), io_error_text(ec.value()));
        return fail(errc::io_error);
    }
    return {};
}

} // namespace strata::storage
