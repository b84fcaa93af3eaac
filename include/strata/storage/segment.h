#pragma once
// segment: one contiguous piece of a partition log, starting at base_offset:
// `<base offset, 20 digits>.log` holding record batches v2 back to back,
// exactly as produced except base_offset and partition_leader_epoch, plus its
// sparse `.index` and `.timeindex` (Kafka's layout and index rules: an entry
// after every index_interval_bytes of log data, pointing at a batch's start).
// In a compacted log the cleaner rewrites closed segments: offsets keep
// increasing but may skip (removed records and batches), batches may hold
// no record (a producer's last), and a segment may be empty.
//
// Owned by its log; used on the partition's thread only. Its files are
// shared_ptrs so the flusher and in-flight fetches may outlive it.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "strata/base/result.h"
#include "strata/storage/errc.h"
#include "strata/storage/offset_index.h"
#include "strata/storage/record_batch.h"
#include "strata/storage/segment_file.h"
#include "strata/storage/time_index.h"

namespace strata::storage {

class segment {
public:
    // A batch located in the .log.
    struct located {
        uint64_t position;
        uint32_t size;
        int64_t base_offset;
        int64_t last_offset;
    };
    // A byte range of the .log holding whole batches (size 0 when empty).
    struct range {
        uint64_t position;
        uint32_t size;
        // One below the next batch's base offset (or the segment's next
        // offset): the last batch's last offset unless compaction left a gap after it.
        int64_t last_offset = -1;
    };
    struct timestamp_hit {
        int64_t offset;
        int64_t timestamp;
    };

    // File name of a segment's file: base offset zero-padded to 20 digits plus `ext`.
    static std::filesystem::path file_name(const std::filesystem::path& dir, int64_t base_offset, const char* ext);

    // Creates an empty segment (its files are created or truncated). The
    // cleaner writes its output under `suffix` (".cleaned") appended to each name.
    static result<std::unique_ptr<segment>, errc> create(const std::filesystem::path& dir, int64_t base_offset,
                                                         uint32_t index_interval_bytes, int64_t now_ms,
                                                         const char* suffix = "");
    // Opens an existing segment. With `recover` set, or when an index is
    // missing, malformed or points past the log, runs recover().
    static result<std::unique_ptr<segment>, errc> open(const std::filesystem::path& dir, int64_t base_offset,
                                                       uint32_t index_interval_bytes, bool recover,
                                                       std::vector<uint8_t>& scratch, int64_t now_ms);

    // Appends batches whose offsets are already assigned and validated, with
    // one write, and indexes them.
    result<void, errc> append(std::span<const uint8_t> batches, int64_t now_ms);

    // The first batch whose last offset >= `offset`, if any.
    result<std::optional<located>, errc> find(int64_t offset, std::vector<uint8_t>& scratch) const;
    // Whole batches starting at the batch containing `start_offset`, up to
    // `max_bytes` but at least one, none with base offset >= max_offset_exclusive.
    result<range, errc> read(int64_t start_offset, size_t max_bytes, int64_t max_offset_exclusive,
                             std::vector<uint8_t>& scratch) const;
    // The first batch whose max timestamp >= `timestamp`: its base offset and max timestamp.
    result<std::optional<timestamp_hit>, errc> find_by_timestamp(int64_t timestamp,
                                                                 std::vector<uint8_t>& scratch) const;
    // Validates every batch (framing, magic, CRC-32C, increasing offsets),
    // truncates the log at the first invalid one, rebuilds both indexes.
    // Returns the number of bytes truncated.
    result<uint64_t, errc> recover(std::vector<uint8_t>& scratch);
    // Removes the batch containing `offset` and all after it.
    result<void, errc> truncate_to(int64_t offset, std::vector<uint8_t>& scratch);

    // Writes buffered index entries to the index files.
    result<void, errc> flush_indexes();
    // Called when the segment stops being active (roll, close): records the
    // final max timestamp in the time index (as Kafka) and writes the indexes.
    result<void, errc> seal();
    // Unlinks the three files; open fds (readers, flusher) stay valid.
    result<void, errc> remove();
    // Unlinks the two index files only (the cleaner replacing the .log).
    result<void, errc> remove_indexes();
    // fdatasyncs the three files.
    result<void, errc> sync();
    // Points the segment's files at a new directory after a rename.
    void relocate(const std::filesystem::path& dir);

    int64_t base_offset() const { return base_offset_; }
    // One past the last offset in the segment (base_offset when empty).
    int64_t next_offset() const { return next_offset_; }
    uint64_t size() const { return log_->size(); }
    bool empty() const { return log_->size() == 0; }
    // Largest batch max timestamp (-1 when none) and the last offset of the
    // first batch that reached it.
    int64_t max_timestamp() const { return max_timestamp_; }
    int64_t max_timestamp_offset() const { return max_timestamp_offset_; }
    // The time segment.ms counts from: when the first batch was appended
    // (after a restart: the first batch's max timestamp, capped at now).
    int64_t rolling_base_ms() const { return rolling_base_ms_; }
    const std::shared_ptr<segment_file>& log_file() const { return log_; }
    const offset_index& offset_idx() const { return *offset_index_; }
    const time_index& time_idx() const { return *time_index_; }

private:
    segment(int64_t base, uint32_t interval) : base_offset_(base), next_offset_(base), index_interval_(interval) {}

    // Folds one batch into the in-memory index state (Kafka's LogSegment.append rule).
    void index_batch(uint64_t position, const batch_header& h);
    // Recomputes next offset and max timestamp from the indexes and a scan of
    // the bytes after the last index entry. Returns false if that tail is torn.
    result<bool, errc> load_tail(std::vector<uint8_t>& scratch);
    // Largest batch boundary in [from, limit], scanning from the nearest index entry.
    result<uint64_t, errc> boundary_at_or_before(uint64_t from, uint64_t limit, std::vector<uint8_t>& scratch) const;

    int64_t base_offset_;
    int64_t next_offset_;
    uint32_t index_interval_;
    std::shared_ptr<segment_file> log_;
    std::unique_ptr<offset_index> offset_index_;
    std::unique_ptr<time_index> time_index_;
    uint64_t bytes_since_index_ = 0;
    int64_t max_timestamp_ = -1;
    int64_t max_timestamp_offset_ = -1;
    int64_t rolling_base_ms_ = -1;
};

} // namespace strata::storage
