#include "strata/storage/log_manager.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <unistd.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "strata/storage/io_error_text.h"

namespace strata::storage {

namespace {
constexpr std::string_view delete_suffix = "-delete";

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string random_hex() {
    std::random_device rd;
    std::mt19937_64 gen(uint64_t(rd()) << 32 | rd());
    return fmt::format("{:016x}{:016x}", gen(), gen());
}

// Makes a rename or unlink in `dir` durable; best effort, as a failure here
// only widens the window in which a crash could undo it.
void sync_dir(const std::filesystem::path& dir) { (void)sync_directory(dir); }
} // namespace

log_manager::log_manager(std::filesystem::path log_dir, log_config default_config)
    : log_dir_(std::move(log_dir)), default_config_(default_config) {}

std::string log_manager::dir_name(const topic_partition& tp) {
    return fmt::format("{}-{}", tp.topic, tp.partition());
}

std::optional<topic_partition> log_manager::parse_dir_name(std::string_view name) {
    auto dash = name.rfind('-');
    if (dash == std::string_view::npos || dash == 0 || dash + 1 == name.size())
        return std::nullopt;
    int32_t p = -1;
    auto digits = name.substr(dash + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), p);
    if (ec != std::errc() || end != digits.data() + digits.size() || p < 0)
        return std::nullopt;
    return topic_partition{std::string(name.substr(0, dash)), partition_id(p)};
}

result<void, errc> log_manager::open_all(int64_t now_ms, const config_lookup& config_for) {
    std::error_code ec;
    std::filesystem::create_directories(log_dir_, ec);
    if (ec) {
        spdlog::error("storage: cannot create {}: {}", log_dir_.string(), io_error_text(ec.value()));
        return fail(errc::io_error);
    }
    auto marker = log_dir_ / clean_shutdown_file;
    clean_ = std::filesystem::exists(marker, ec);
    bool warned = false;
    for (const auto& de : std::filesystem::directory_iterator(log_dir_, ec)) {
        if (!de.is_directory())
            continue;
        std::string name = de.path().filename().string();
        if (ends_with(name, delete_suffix)) {
            spdlog::info("storage: deleting leftover {}", name);
            std::filesystem::remove_all(de.path(), ec);
            continue;
        }
        auto tp = parse_dir_name(name);
        if (!tp) {
            // Internal stores (names starting with "__", like the metadata store) are not logs.
            if (!name.starts_with("__"))
                spdlog::warn("storage: ignoring {} in {}", name, log_dir_.string());
            continue;
        }
        // Only a dir that holds logs can have been shut down uncleanly.
        if (!clean_ && !warned) {
            spdlog::warn("storage: {} was not shut down cleanly; recovering active segments", log_dir_.string());
            warned = true;
        }
        auto l = log::open(de.path(), config_for ? config_for(*tp) : default_config_, clean_, now_ms);
        if (!l)
            return fail(l.error());
        logs_.emplace(std::move(*tp), std::move(*l));
    }
    if (ec) {
        spdlog::error("storage: cannot list {}: {}", log_dir_.string(), io_error_text(ec.value()));
        return fail(errc::io_error);
    }
    recovered_high_watermarks_ = read_high_watermarks(log_dir_ / high_watermark_file);
    written_high_watermarks_ = recovered_high_watermarks_;
    // From here on a crash must count as unclean.
    std::filesystem::remove(marker, ec);
    sync_dir(log_dir_);
    return {};
}

int64_t log_manager::take_checkpointed_high_watermark(const topic_partition& tp) {
    auto node = recovered_high_watermarks_.extract(tp);
    return node ? node.mapped() : -1;
}

result<void, errc> log_manager::checkpoint_high_watermarks(high_watermarks marks) {
    if (marks == written_high_watermarks_) return {};
    if (auto r = write_high_watermarks(log_dir_ / high_watermark_file, marks); !r) return r;
    written_high_watermarks_ = std::move(marks);
    return {};
}

log* log_manager::get(const topic_partition& tp) const {
    auto it = logs_.find(tp);
    return it == logs_.end() ? nullptr : it->second.get();
}

result<log*, errc> log_manager::create(const topic_partition& tp, const log_config& cfg, int64_t now_ms) {
    if (auto* l = get(tp)) {
        l->set_config(cfg);
        return l;
    }
    // A freshly created directory has nothing to recover.
    auto l = log::open(log_dir_ / dir_name(tp), cfg, true, now_ms);
    if (!l)
        return fail(l.error());
    sync_dir(log_dir_);
    log* raw = l->get();
    logs_.emplace(tp, std::move(*l));
    return raw;
}

result<void, errc> log_manager::remove_log(const topic_partition& tp, std::unique_ptr<log> l) {
    auto from = log_dir_ / dir_name(tp);
    auto to = log_dir_ / fmt::format("{}.{}{}", dir_name(tp), random_hex(), delete_suffix);
    if (::rename(from.c_str(), to.c_str()) != 0) {
        spdlog::error("storage: cannot rename {}: {}", from.string(), std::strerror(errno));
        return fail(errc::io_error);
    }
    sync_dir(log_dir_);
    l->relocate(to);
    return l->remove_files();
}

result<size_t, errc> log_manager::remove(const std::string& topic) {
    size_t removed = 0;
    for (auto it = logs_.begin(); it != logs_.end();) {
        if (it->first.topic != topic) {
            ++it;
            continue;
        }
        topic_partition tp = it->first;
        auto l = std::move(it->second);
        it = logs_.erase(it);
        if (auto r = remove_log(tp, std::move(l)); !r)
            return fail(r.error());
        ++removed;
    }
    return removed;
}

result<void, errc> log_manager::remove_partition(const topic_partition& tp) {
    auto it = logs_.find(tp);
    if (it == logs_.end()) return {};
    auto l = std::move(it->second);
    logs_.erase(it);
    return remove_log(tp, std::move(l));
}

result<void, errc> log_manager::close_all() {
    for (auto& [tp, l] : logs_)
        if (auto r = l->close(); !r)
            return r;
    auto marker = log_dir_ / clean_shutdown_file;
    int fd = ::open(marker.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || ::fsync(fd) != 0) {
        spdlog::error("storage: cannot write {}: {}", marker.string(), std::strerror(errno));
        if (fd >= 0)
            ::close(fd);
        return fail(errc::io_error);
    }
    ::close(fd);
    sync_dir(log_dir_);
    return {};
}

} // namespace strata::storage
