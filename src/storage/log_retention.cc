// log: the operations that remove data — retention, DeleteRecords,
// truncation — and the log start offset checkpoint they move.
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "strata/storage/log.h"
#include "strata/storage/producer_snapshot.h"

namespace strata::storage {

result<uint64_t, errc> log::delete_oldest() {
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
    if (cfg_.retention_ms >= 0) {
        while (segments_.size() > 1) {
            const segment& s = *segments_.front();
            int64_t ts = s.max_timestamp() >= 0 ? s.max_timestamp() : s.rolling_base_ms();
            if (now_ms - ts <= cfg_.retention_ms)
                break;
            if (auto r = drop(); !r)
                return fail(r.error());
        }
    }
    if (cfg_.retention_bytes >= 0) {
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
    if (offset <= segments_.front()->base_offset()) {
        // Nothing survives: start afresh at `offset`.
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
        if (auto r = write_start_offset(); !r)
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
    durable_offset_ = std::min(durable_offset_, log_end_offset());
    pending_sync_.push_back(segments_.back()->log_file());
    // Batches past the cut may have advanced producers: reload from a snapshot
    // not past the new end (newer ones are deleted) and replay.
    auto r = restore_producer_state();
    trim_scratch();
    return r;
}

result<void, errc> log::write_start_offset() {
    auto path = dir_ / start_offset_file;
    auto tmp = path;
    tmp += ".tmp";
    auto text = fmt::format("{}\n", log_start_offset_);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    bool ok = fd >= 0 && ::write(fd, text.data(), text.size()) == ssize_t(text.size()) && ::fsync(fd) == 0;
    if (fd >= 0)
        ::close(fd);
    // Rename makes the update atomic: a crash leaves the old or the new value.
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
        spdlog::error("storage: cannot write {}: {}", path.string(), std::strerror(errno));
        return fail(errc::io_error);
    }
    return {};
}

result<int64_t, errc> log::read_start_offset() const {
    auto path = dir_ / start_offset_file;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return int64_t(-1);
        spdlog::error("storage: cannot open {}: {}", path.string(), std::strerror(errno));
        return fail(errc::io_error);
    }
    char buf[32];
    ssize_t n = ::read(fd, buf, sizeof buf);
    ::close(fd);
    int64_t v = -1;
    if (n <= 0 || std::from_chars(buf, buf + n, v).ec != std::errc()) {
        spdlog::warn("storage: ignoring malformed {}", path.string());
        return int64_t(-1);
    }
    return v;
}

} // namespace strata::storage
