// log: what compaction changes in a log — the cleaner checkpoint, swapping
// cleaned segments in, and finishing a swap a crash interrupted.
#include <algorithm>
#include <atomic>
#include <cassert>
#include <charconv>
#include <string_view>

#include <spdlog/spdlog.h>

#include "strata/storage/io_error_text.h"
#include "strata/storage/log.h"
#include "strata/storage/offset_checkpoint.h"
#include "strata/storage/segment_scanner.h"

namespace strata::storage {

namespace {
constexpr std::string_view cleaned_suffix = ".cleaned";
constexpr std::string_view swap_suffix = ".log.swap";

// Parses "<20 digits><suffix>"; -1 for anything else.
int64_t parse_base(std::string_view name, std::string_view suffix) {
    if (name.size() != 20 + suffix.size() || name.substr(20) != suffix)
        return -1;
    int64_t v = -1;
    auto [p, ec] = std::from_chars(name.data(), name.data() + 20, v);
    return ec == std::errc() && p == name.data() + 20 ? v : -1;
}

std::filesystem::path with_suffix(const std::filesystem::path& dir, int64_t base, const char* ext,
                                  std::string_view suffix) {
    auto p = segment::file_name(dir, base, ext);
    p += suffix;
    return p;
}

// Unlinks `path` if it exists.
result<void, errc> unlink_if_present(const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    if (ec) {
        spdlog::error("storage: cannot remove {}: {}", path.string(), io_error_text(ec.value()));
        return fail(errc::io_error);
    }
    return {};
}

// The last offset in a finished cleaner output (base - 1 when it is empty).
result<int64_t, errc> last_offset_of(const std::filesystem::path& path, int64_t base, std::vector<uint8_t>& scratch) {
    auto file = segment_file::open(path, false);
    if (!file)
        return fail(file.error());
    int64_t last = base - 1;
    segment_scanner scan(**file, 0, (*file)->size(), scratch, false, 256 * 1024);
    for (;;) {
        auto st = scan.next();
        if (!st)
            return fail(st.error());
        if (*st != segment_scanner::status::batch)
            return last;
        last = std::max(last, scan.current().header.last_offset());
    }
}
} // namespace

uint64_t log::next_generation() {
    static std::atomic<uint64_t> counter{0};
    return ++counter;
}

result<void, errc> log::set_cleaner_offset(int64_t offset) {
    if (auto r = write_offset_checkpoint(dir_ / cleaner_offset_file, offset); !r)
        return r;
    cleaner_offset_ = offset;
    return {};
}

size_t log::segment_index(int64_t offset) const {
    auto it = std::upper_bound(segments_.begin(), segments_.end(), offset,
                               [](int64_t o, const auto& s) { return o < s->base_offset(); });
    return it == segments_.begin() ? 0 : size_t(it - segments_.begin() - 1);
}

result<void, errc> log::replace_segments(size_t first, size_t count, std::unique_ptr<segment> cleaned) {
    assert(count > 0 && first + count < segments_.size());  // never the active segment
    assert(cleaned->base_offset() == segments_[first]->base_offset());
    const int64_t base = cleaned->base_offset();
    auto swap = with_suffix(dir_, base, ".log", ".swap");
    // The output is durable before it is named a swap...
    auto prepared = [&]() -> result<void, errc> {
        if (auto r = cleaned->seal(); !r)
            return r;
        if (auto r = cleaned->sync(); !r)
            return r;
        if (auto r = rename_file(with_suffix(dir_, base, ".log", cleaned_suffix), swap); !r)
            return r;
        return sync_directory(dir_);
    }();
    if (!prepared) {
        (void)cleaned->remove();
        (void)unlink_if_present(swap);
        return prepared;
    }
    // ...and from here on the swap is decided: a crash leaves open() to finish
    // it. Old files go first, so no old index ever describes the new .log and
    // no segment overlapping the swap outlives it.
    auto installed = [&]() -> result<void, errc> {
        if (auto r = segments_[first]->remove_indexes(); !r)
            return r;
        for (size_t i = first + 1; i < first + count; ++i)
            if (auto r = segments_[i]->remove(); !r)
                return r;
        if (auto r = sync_directory(dir_); !r)
            return r;
        if (auto r = rename_file(swap, segment::file_name(dir_, base, ".log")); !r)
            return r;
        for (const char* ext : {".index", ".timeindex"})
            if (auto r = rename_file(with_suffix(dir_, base, ext, cleaned_suffix), segment::file_name(dir_, base, ext));
                !r)
                return r;
        return sync_directory(dir_);
    }();
    if (!installed) {
        // The old segments' fds still serve reads; the next open completes the swap.
        spdlog::error("storage: {}: swapping in the cleaned segment {} failed; a restart completes it", dir_.string(),
                      base);
        generation_ = next_generation();
        return installed;
    }
    cleaned->relocate(dir_);
    segments_.erase(segments_.begin() + std::ptrdiff_t(first + 1), segments_.begin() + std::ptrdiff_t(first + count));
    segments_[first] = std::move(cleaned);
    return {};
}

result<void, errc> log::finish_interrupted_cleaning() {
    std::vector<int64_t> swaps, bases;
    std::vector<std::filesystem::path> leftovers;
    std::error_code ec;
    for (const auto& de : std::filesystem::directory_iterator(dir_, ec)) {
        auto name = de.path().filename().string();
        if (name.ends_with(cleaned_suffix))
            leftovers.push_back(de.path());
        else if (int64_t b = parse_base(name, swap_suffix); b >= 0)
            swaps.push_back(b);
        else if (int64_t s = parse_base(name, ".log"); s >= 0)
            bases.push_back(s);
    }
    if (ec) {
        spdlog::error("storage: cannot list {}: {}", dir_.string(), io_error_text(ec.value()));
        return fail(errc::io_error);
    }
    for (const auto& p : leftovers) {
        spdlog::info("storage: deleting unfinished cleaner output {}", p.string());
        if (auto r = unlink_if_present(p); !r)
            return r;
    }
    std::sort(swaps.begin(), swaps.end());
    for (int64_t base : swaps) {
        auto swap = with_suffix(dir_, base, ".log", ".swap");
        auto last = last_offset_of(swap, base, scratch());
        if (!last)
            return fail(last.error());
        // The swap holds every kept record of the segments from `base` up to
        // its last offset; those segments, and the base's indexes, go.
        for (int64_t b : bases) {
            if (b <= base || b > *last)
                continue;
            for (const char* ext : {".log", ".index", ".timeindex"})
                if (auto r = unlink_if_present(segment::file_name(dir_, b, ext)); !r)
                    return r;
        }
        for (const char* ext : {".index", ".timeindex"})
            if (auto r = unlink_if_present(segment::file_name(dir_, base, ext)); !r)
                return r;
        if (auto r = rename_file(swap, segment::file_name(dir_, base, ".log")); !r)
            return r;
        spdlog::warn("storage: {}: completed the interrupted swap of cleaned segment {} (through offset {})",
                     dir_.string(), base, *last);
    }
    if (leftovers.empty() && swaps.empty())
        return {};
    return sync_directory(dir_);
}

} // namespace strata::storage
