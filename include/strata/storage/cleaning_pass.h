#pragma once
// cleaning_pass: one compaction of one log (cleanup.policy=compact), done a
// slice at a time so that a big log never stalls the thread it runs on.
//
// Sections (Kafka's terms): the clean section runs from the first segment to
// the cleaner offset (`cleaner-offset.checkpoint`, see log.h), the dirty
// section from there to the first uncleanable offset: the active segment, or
// the first dirty segment whose max timestamp is younger than
// min.compaction.lag.ms. Records in the active segment are never touched.
//
// A pass first maps each key of the dirty section to the offset of its last
// record there (offset_map; once it holds log.cleaner.dedupe.buffer.size the
// mapped range ends after the current batch). It then rewrites the log from
// its first segment up to the end of the mapped range, one group at a time
// (consecutive segments whose sizes sum to at most segment.bytes and whose
// offsets fit one segment, merged into one), keeping a record when
//   - its offset is at or past the end of the mapped range, or
//   - it has a key, no later record of that key is mapped, and it is not a
//     tombstone (null value) in a batch whose max timestamp is more than
//     delete.retention.ms old.
// Records without a key are dropped, as Kafka's cleaner drops them. Control
// batches are kept whole. Offsets never change: dropped records leave gaps.
// A batch that keeps every record is copied byte for byte; one that keeps
// some is rebuilt by filter_batch (same codec, new CRC); one that keeps none
// disappears, unless it is its producer's last batch (which a restart
// replays to recover the producer's sequence), which stays as an empty batch.
//
// Each group is written to `<base>.log.cleaned` with its indexes (synced
// after every step, so the final sync is short) and swapped in by
// log::replace_segments(), which is crash-safe. A group of one segment that
// lost nothing is left as it was. When every group is done the cleaner
// offset moves to the end of the mapped range.
//
// Owned by the log_cleaner (or a test); runs on the partition's thread. It
// holds its log by reference, so its owner drops it before the log goes; it
// stops, deleting its unfinished output, when the log's generation changed
// (retention, truncation, deletion) or its policy no longer includes compact.

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "strata/base/result.h"
#include "strata/storage/compression.h"
#include "strata/storage/errc.h"
#include "strata/storage/log.h"
#include "strata/storage/offset_map.h"
#include "strata/storage/record_reader.h"

namespace strata::storage {

// Where a log stands for compaction: what is clean, what is dirty, and whether it is due.
struct cleanable_section {
    int64_t first_dirty = 0;  // the cleaner offset, within the log
    int64_t end = 0;          // the first uncleanable offset (a segment's base)
    uint64_t clean_bytes = 0;
    uint64_t dirty_bytes = 0;
    bool max_lag_exceeded = false;  // the oldest dirty segment is older than max.compaction.lag.ms

    double dirty_ratio() const {
        uint64_t total = clean_bytes + dirty_bytes;
        return total == 0 ? 0.0 : double(dirty_bytes) / double(total);
    }
    // Kafka's rule: some dirty bytes, and a ratio above min.cleanable.dirty.ratio or a lag past the maximum.
    bool due(const log_config& cfg) const {
        return dirty_bytes > 0 && (max_lag_exceeded || dirty_ratio() > cfg.min_cleanable_dirty_ratio);
    }
};

struct cleaning_stats {
    size_t segments_before = 0;
    size_t segments_after = 0;
    uint64_t bytes_before = 0;  // of the groups rewritten (or left as they were)
    uint64_t bytes_after = 0;
    uint64_t bytes_read = 0;    // by both phases
    int64_t records_removed = 0;
    int64_t tombstones_removed = 0;  // of records_removed, those with a null value
    int64_t empty_batches_kept = 0;
};

class cleaning_pass {
public:
    enum class state { working, done, abandoned };

    static cleanable_section assess(const log& l, int64_t now_ms);

    // Plans a pass over `l` as it stands at `now_ms`; the key map may use
    // about `map_memory_bytes` (at least one batch's keys always fit).
    cleaning_pass(log& l, int64_t now_ms, size_t map_memory_bytes);
    ~cleaning_pass();
    cleaning_pass(const cleaning_pass&) = delete;
    cleaning_pass& operator=(const cleaning_pass&) = delete;

    // Reads at most about `budget_bytes` (at least one batch) and says
    // whether the pass goes on, finished, or was abandoned.
    result<state, errc> step(int64_t now_ms, uint64_t budget_bytes);
    // Steps until the pass ends.
    result<state, errc> run(int64_t now_ms);

    const cleanable_section& section() const { return section_; }
    const cleaning_stats& stats() const { return stats_; }

private:
    enum class scan_end { segment, budget, stopped };
    // Hands the batches of `s` from cursor_pos_ on to `on_batch` (which
    // returns true to stop) while the budget lasts, advancing the cursor.
    template<class F>
    result<scan_end, errc> scan(const segment& s, uint64_t& budget, F&& on_batch);
    // Each returns true when its phase is finished, false when the budget ran out.
    result<bool, errc> map_step(uint64_t& budget);
    result<bool, errc> clean_step(int64_t now_ms, uint64_t& budget);
    result<void, errc> map_batch(std::span<const uint8_t> batch, const batch_header& h);
    result<void, errc> start_group(size_t first, int64_t now_ms);
    result<void, errc> finish_group(int64_t now_ms);
    result<void, errc> clean_batch(std::span<const uint8_t> batch, const batch_header& h, int64_t now_ms);
    bool keep_record(const record_view& r, int64_t offset, bool tombstones_expired) const;
    bool last_of_producer(const batch_header& h) const;
    result<std::span<const uint8_t>, errc> records_of(std::span<const uint8_t> batch, const batch_header& h);
    result<void, errc> write(std::span<const uint8_t> bytes, int64_t now_ms);
    result<void, errc> flush_output(int64_t now_ms);
    void abandon_output();

    log& log_;
    uint64_t generation_;
    cleanable_section section_;
    size_t map_limit_;
    offset_map map_;
    int64_t map_end_;  // records below are mapped; those at or after it are kept
    bool mapping_ = true;
    // Where reading resumes: a segment (by base offset) and a position in its .log.
    int64_t cursor_base_ = 0;
    uint64_t cursor_pos_ = 0;
    // The group being rewritten: segments [group_first_, group_first_ + group_count_).
    std::unique_ptr<segment> out_;
    size_t group_first_ = 0;
    size_t group_count_ = 0;
    uint64_t group_bytes_ = 0;
    bool group_changed_ = false;
    std::vector<uint8_t> pending_;  // output not yet written to out_
    std::vector<uint8_t> in_;       // the scanner's buffer
    std::vector<uint8_t> plain_;    // decompressed records
    std::vector<bool> keep_;
    decompressor codec_;
    cleaning_stats stats_;
};

} // namespace strata::storage
