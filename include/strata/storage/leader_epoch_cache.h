#pragma once
// A partition's leader epochs and the offset each began at, as Kafka keeps
// them in `leader-epoch-checkpoint`: what lets a follower find where its log
// and a new leader's diverge (OffsetForLeaderEpoch, KIP-101/KIP-279) instead
// of trusting a high watermark. The file has Kafka's format ("0", the entry
// count, then "<epoch> <start offset>" per line), is rewritten atomically on
// every change (a change is a new leader or a truncation, both rare) and is
// read when the log opens. Owned by its log; the partition's thread only.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <utility>
#include <vector>

#include "strata/base/result.h"
#include "strata/storage/errc.h"

namespace strata::storage {

struct epoch_entry {
    int32_t epoch = 0;
    int64_t start_offset = 0;
    bool operator==(const epoch_entry&) const = default;
};

class leader_epoch_cache {
public:
    static constexpr const char* file_name = "leader-epoch-checkpoint";

    explicit leader_epoch_cache(std::filesystem::path dir) : dir_(std::move(dir)) {}
    // Reads the checkpoint; none (or a malformed one) leaves the cache empty.
    void load();
    // The log's directory moved (a deleted log is renamed first).
    void relocate(std::filesystem::path dir) { dir_ = std::move(dir); }

    // Records that `epoch` began at `start_offset`, if it is newer than the
    // latest epoch known (appends of the same epoch change nothing).
    result<void, errc> assign(int32_t epoch, int64_t start_offset);
    // The log was truncated to end before `offset`: epochs that began at or
    // after it are gone.
    result<void, errc> truncate_from_end(int64_t offset);
    // The log now starts at `offset` (retention, DeleteRecords): the epoch
    // in force there starts there.
    result<void, errc> truncate_from_start(int64_t offset);
    // The log starts again empty (a follower behind its leader's log start): nothing is known.
    result<void, errc> clear();

    // OffsetForLeaderEpoch: for `epoch`, the largest known epoch not above it
    // and the offset where the next epoch began (`log_end` for the latest);
    // nullopt when `epoch` is older than every known epoch.
    std::optional<std::pair<int32_t, int64_t>> end_offset_for(int32_t epoch, int64_t log_end) const;

    std::optional<int32_t> latest_epoch() const;
    const std::vector<epoch_entry>& entries() const { return entries_; }

private:
    result<void, errc> persist();

    std::filesystem::path dir_;
    std::vector<epoch_entry> entries_;
};

} // namespace strata::storage
