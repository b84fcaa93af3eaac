#pragma once
// log: one partition's log, `<log.dir>/<topic>-<partition>/`, a sequence of
// segments (segment.h) of which the last is active and takes appends.
//
// Beside the segments the directory holds `log-start-offset.checkpoint`: the
// log start offset moved by retention or DeleteRecords, as one decimal line
// (Kafka keeps this per log dir in `log-start-offset-checkpoint`; per
// partition it needs no coordination between logs). A compacted log also has
// `cleaner-offset.checkpoint`, the first offset the cleaner has not yet
// deduplicated (Kafka's first dirty offset, kept per partition likewise).
// While the cleaner rewrites segments there may be `<base>.{log,index,
// timeindex}.cleaned` (unfinished output, deleted on open) and one
// `<base>.log.swap` (finished output replacing the segments from <base> up
// to its last offset, completed on open); see replace_segments().
//
// Recovery on open: with clean_shutdown unset (the log dir's clean-shutdown
// marker was absent, see log_manager) the active segment is fully recovered
// (CRC of every batch, torn tail truncated, indexes rebuilt). Every other
// segment has its indexes validated and the bytes after its last index entry
// framing-checked, and is fully recovered if either check fails. Producer
// state is loaded from the newest `<offset>.snapshot` not past the log end
// (written at every roll and at close; the two newest are kept) and the
// batch headers after that offset are replayed; without one, from the start.
//
// Owned by the log_manager; every call runs on the partition's thread,
// except that the files in a flush_request are synced on the flusher thread
// and file_slices are read by whoever sends them.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "strata/base/result.h"
#include "strata/storage/errc.h"
#include "strata/storage/leader_epoch_cache.h"
#include "strata/storage/log_config.h"
#include "strata/storage/log_types.h"
#include "strata/storage/producer_state.h"
#include "strata/storage/segment.h"

namespace strata::storage {

class log {
public:
    static constexpr const char* start_offset_file = "log-start-offset.checkpoint";
    static constexpr const char* cleaner_offset_file = "cleaner-offset.checkpoint";

    // Opens (creating when missing) the log in `dir`. `now_ms` is the wall clock.
    static result<std::unique_ptr<log>, errc> open(std::filesystem::path dir, log_config cfg, bool clean_shutdown,
                                                   int64_t now_ms);

    log(const log&) = delete;
    log& operator=(const log&) = delete;
    ~log();

    const log_config& config() const { return cfg_; }
    void set_config(const log_config& cfg) { cfg_ = cfg; }
    const std::filesystem::path& dir() const { return dir_; }

    // Appends one or more concatenated, CRC-validated v2 batches, patching
    // base_offset and partition_leader_epoch in place: all or nothing, one write.
    result<append_result, errc> append(std::span<uint8_t> batches, int32_t leader_epoch, int64_t now_ms);

    // A follower's append of batches fetched from its leader: their offsets,
    // leader epochs and producer ids are the leader's, so they must continue
    // this log exactly (the first base offset is the log end) and are not
    // patched; producer state and the leader epochs follow them. CRCs are
    // checked (the bytes crossed a network). All or nothing, one write.
    result<append_result, errc> append_replicated(std::span<uint8_t> batches, int64_t now_ms);
    // The leader epochs of this log and where each began (OffsetForLeaderEpoch).
    const leader_epoch_cache& leader_epochs() const { return epochs_; }

    // What append() would decide about an idempotent producer's batch, without
    // changing anything: a duplicate (with the original's offsets), a
    // sequence or epoch error, or fine. Lets a caller with side effects of its
    // own (dead-letter routing) act only for batches that will be appended.
    result<producer_state::outcome, errc> check_producer(const batch_header& h);

    // Whole batches from the one containing start_offset (Kafka fetch rules,
    // within one segment): up to max_bytes but at least one batch, none with
    // base offset >= max_offset_exclusive.
    result<read_result, errc> read(int64_t start_offset, size_t max_bytes, int64_t max_offset_exclusive);

    // ListOffsets by timestamp: the first record with timestamp >= ts, its
    // offset and timestamp ({-1, -1} when there is none).
    result<timestamp_offset, errc> find_offset_by_timestamp(int64_t ts);
    // ListOffsets MAX_TIMESTAMP: the first record holding the largest timestamp.
    result<timestamp_offset, errc> max_timestamp_offset() const;

    flush_request prepare_flush();
    void mark_durable(int64_t offset);
    int64_t durable_offset() const { return durable_offset_; }

    // Deletes whole non-active segments wholly below the log start offset
    // and, when cleanup.policy includes delete, those past retention.ms (by
    // their max timestamp) or beyond retention.bytes (oldest first). Returns
    // the bytes deleted.
    result<uint64_t, errc> apply_retention(int64_t now_ms);
    // DeleteRecords: moves the log start offset up to `offset` (<= log end)
    // and deletes segments wholly below it. Returns the new log start offset.
    result<int64_t, errc> delete_records_before(int64_t offset);
    // Removes every batch from the one containing `offset` on (replication).
    result<void, errc> truncate_to(int64_t offset, int64_t now_ms);
    // A follower whose log ends before its leader's log start (retention or
    // DeleteRecords there) has nothing the leader can extend: every batch and
    // epoch goes, and the log starts again, empty, at `offset` (Kafka's
    // truncate-fully-and-start-at).
    result<void, errc> restart_at(int64_t offset, int64_t now_ms);

    // Compaction (log_compaction.cc), driven by a cleaning_pass.
    // The cleaner's first dirty offset; -1 before the first cleaning.
    int64_t cleaner_offset() const { return cleaner_offset_; }
    result<void, errc> set_cleaner_offset(int64_t offset);
    // Takes a new value, never used before by any log, whenever segments are
    // deleted, truncated or moved by anything but replace_segments(): a
    // cleaning pass planned under one generation must not commit under another.
    uint64_t generation() const { return generation_; }
    // Replaces the closed segments [first, first + count) with `cleaned`, a
    // segment with the first one's base offset whose files carry the suffix
    // `.cleaned`. Crash-safe: the output is synced and renamed to
    // `<base>.log.swap` (from then on open() completes the swap), the old
    // files are unlinked, the swap and its indexes renamed into place, the
    // directory synced between steps. In-flight reads keep the old files open.
    result<void, errc> replace_segments(size_t first, size_t count, std::unique_ptr<segment> cleaned);
    // The index of the segment holding `offset` (the last with base <= offset; 0 below the first).
    size_t segment_index(int64_t offset) const;

    // Seals the active segment, writes indexes and the start offset, syncs.
    result<void, errc> close();
    // Points the open files at `dir` after the directory was renamed.
    void relocate(const std::filesystem::path& dir);
    // Unlinks every file (after log_manager renamed the directory).
    result<void, errc> remove_files();

    int64_t log_start_offset() const { return log_start_offset_; }
    int64_t log_end_offset() const { return segments_.back()->next_offset(); }
    uint64_t size_bytes() const;
    size_t segment_count() const { return segments_.size(); }
    const segment& segment_at(size_t i) const { return *segments_[i]; }
    const producer_state& producers() const { return producers_; }

private:
    log(std::filesystem::path dir, log_config cfg)
        : dir_(std::move(dir)), cfg_(cfg), epochs_(dir_), generation_(next_generation()) {}

    static uint64_t next_generation();
    // At open, before the segments are listed: deletes unfinished cleaner
    // output and completes an interrupted swap.
    result<void, errc> finish_interrupted_cleaning();

    result<void, errc> load_segments(bool clean_shutdown, int64_t now_ms);
    bool timestamps_acceptable(const batch_header& h, int64_t now_ms) const;
    static void stamp_log_append_time(std::span<uint8_t> batch, int64_t now_ms);
    result<void, errc> restore_producer_state();
    result<void, errc> write_producer_snapshot(bool sync);
    result<void, errc> roll(int64_t now_ms);
    bool should_roll(size_t append_bytes, int64_t last_offset, int64_t now_ms) const;
    // Deletes the oldest segment and moves the start offset past it.
    result<uint64_t, errc> delete_oldest();
    result<void, errc> write_start_offset();
    // Deletes every segment and opens an empty one at `offset`, the log start.
    result<void, errc> start_afresh(int64_t offset, int64_t now_ms);
    // After segments were cut: durability, epochs and producers follow the new end.
    result<void, errc> after_truncation();
    // The read buffer of the calling thread, shared by every log it runs:
    // scans stop allocating once it has grown, and idle partitions cost no
    // memory. trim_scratch() gives back what recovery's large reads took.
    static std::vector<uint8_t>& scratch();
    static void trim_scratch();
    result<int64_t, errc> read_start_offset() const;

    std::filesystem::path dir_;
    log_config cfg_;
    leader_epoch_cache epochs_;
    std::vector<std::unique_ptr<segment>> segments_; // by base offset; back() is active
    producer_state producers_;
    int64_t log_start_offset_ = 0;
    int64_t durable_offset_ = 0;
    // Files of rolled segments still to be synced once.
    std::vector<std::shared_ptr<segment_file>> pending_sync_;
    bool closed_ = false;
    int64_t cleaner_offset_ = -1;
    uint64_t generation_;
};

} // namespace strata::storage
