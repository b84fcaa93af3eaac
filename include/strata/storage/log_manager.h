#pragma once
// log_manager: every partition log of one log dir (`log.dirs` entry).
//
// Layout: `<log_dir>/<topic>-<partition>/` per log (the topic may itself
// contain '-' and '.'; the partition follows the last '-'). A removed log is
// first renamed to `<topic>-<partition>.<32 hex>-delete` (atomic: it vanishes
// from the namespace even if the deletion of its files is interrupted) and
// such leftovers are deleted at the next open_all().
//
// Clean shutdown: close_all() writes `<log_dir>/.strata_clean_shutdown` after
// every log is closed and synced; open_all() reads it, removes it (so a crash
// leaves none) and opens the logs with clean_shutdown accordingly, which
// decides whether active segments are fully recovered (see log.h).
//
// High watermarks: open_all() reads the log dir's checkpoint
// (high_watermark_checkpoint.h), and each log's value is handed out once, to
// the replica that opens it; checkpoint_high_watermarks() writes a new one.
//
// Owned by the storage service; used on one thread (the one running the
// partitions of this log dir).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "strata/base/result.h"
#include "strata/base/types.h"
#include "strata/storage/errc.h"
#include "strata/storage/high_watermark_checkpoint.h"
#include "strata/storage/log.h"
#include "strata/storage/log_config.h"

namespace strata::storage {

class log_manager {
public:
    static constexpr const char* clean_shutdown_file = ".strata_clean_shutdown";
    using config_lookup = std::function<log_config(const topic_partition&)>;

    log_manager(std::filesystem::path log_dir, log_config default_config);
    log_manager(const log_manager&) = delete;
    log_manager& operator=(const log_manager&) = delete;

    // Opens every log found in the log dir; `config_for` gives each its topic
    // config (default_config when empty).
    result<void, errc> open_all(int64_t now_ms, const config_lookup& config_for = {});
    // The open log of `tp`, or nullptr.
    log* get(const topic_partition& tp) const;
    // Opens or creates the log of `tp` (an existing one just gets `cfg`).
    result<log*, errc> create(const topic_partition& tp, const log_config& cfg, int64_t now_ms);
    // Removes every partition log of `topic`; returns how many.
    result<size_t, errc> remove(const std::string& topic);
    // Removes the log of one partition (a replica moved to other brokers), if open.
    result<void, errc> remove_partition(const topic_partition& tp);
    // Closes every log and then writes the clean-shutdown marker.
    result<void, errc> close_all();

    // The high watermark `tp`'s log had at the last checkpoint before this
    // run, once (-1: none, or asked before): a log removed and created again
    // in this run must not start from it.
    int64_t take_checkpointed_high_watermark(const topic_partition& tp);
    // Writes `marks` as the log dir's checkpoint, unless it holds them already.
    result<void, errc> checkpoint_high_watermarks(high_watermarks marks);

    // Whether the last shutdown was clean (known after open_all()).
    bool last_shutdown_clean() const { return clean_; }
    const std::filesystem::path& log_dir() const { return log_dir_; }
    const std::map<topic_partition, std::unique_ptr<log>>& logs() const { return logs_; }
    size_t size() const { return logs_.size(); }

    static std::string dir_name(const topic_partition& tp);
    static std::optional<topic_partition> parse_dir_name(std::string_view name);

private:
    result<void, errc> remove_log(const topic_partition& tp, std::unique_ptr<log> l);

    std::filesystem::path log_dir_;
    log_config default_config_;
    std::map<topic_partition, std::unique_ptr<log>> logs_;
    bool clean_ = false;
    high_watermarks recovered_high_watermarks_;  // from the checkpoint open_all() read, each taken once
    high_watermarks written_high_watermarks_;    // what the checkpoint file holds now
};

} // namespace strata::storage
