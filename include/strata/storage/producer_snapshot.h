#pragma once
// producer_snapshot: `<offset, 20 digits>.snapshot` in a partition directory,
// the producer_state as of `offset` (every batch below it applied), so open()
// replays only the batches after it instead of the whole log.
//
// The name is Kafka's; the content is Strata's own, because Kafka's format
// keeps only each producer's last batch and we keep five (a retried batch
// among the last five is still recognised as a duplicate after a restart).
// Layout, big-endian:
//   uint32 magic 'STPS', int16 version (1), uint32 CRC-32C of everything after it,
//   int32 producer count, then per producer:
//     int64 producer_id, int16 epoch, int8 batch count,
//     per batch (oldest first): int32 first_seq, int32 last_seq,
//                               int64 first_offset, int64 last_offset
// A snapshot that is short, fails its CRC or has another magic/version is
// ignored (the log then replays from an older one or from the start).
//
// Stateless helpers, called by the log on its partition's thread.

#include <cstdint>
#include <filesystem>
#include <vector>

#include "strata/base/result.h"
#include "strata/storage/errc.h"
#include "strata/storage/producer_state.h"

namespace strata::storage {

class producer_snapshot {
public:
    static std::filesystem::path file_name(const std::filesystem::path& dir, int64_t offset);
    // Writes atomically (temporary file, then rename); fsyncs when `sync`.
    static result<void, errc> write(const std::filesystem::path& dir, int64_t offset, const producer_state& state,
                                    bool sync);
    // Replaces `state` with the snapshot's content; false if the file is malformed.
    static result<bool, errc> read(const std::filesystem::path& path, producer_state& state);
    // Offsets of the snapshot files in `dir`, ascending.
    static std::vector<int64_t> list(const std::filesystem::path& dir);
    // Deletes the snapshots whose offset is not in [min_keep, max_keep].
    static void remove_outside(const std::filesystem::path& dir, int64_t min_keep, int64_t max_keep);
};

} // namespace strata::storage
