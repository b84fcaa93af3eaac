#pragma once
// sync_files: makes the written data of many files durable with as few
// device flushes as possible. One group-commit round touches every partition
// with unsynced appends, typically one .log per partition; fdatasync(2) of
// each in turn costs one journal commit and one device cache flush apiece (on
// ext4 with a virtio disk, 16 partitions took about 16 times one file's sync).
// syncfs(2) writes back every file of a filesystem and commits its journal
// once, so a round costs about one sync whatever the partition count. A file
// alone on its filesystem in the round still gets fdatasync, which leaves
// other files' dirty pages alone.
//
// syncfs reports writeback errors of the whole filesystem (Linux >= 5.8), so
// a failure fails every file of that filesystem in the round: the caller
// answers KAFKA_STORAGE_ERROR for all of them, never a false success.
//
// Stateless; runs at close, and on the flusher thread for rounds too large
// for parallel_sync.h (which syncs small rounds file by file, side by side).

#include <memory>
#include <span>
#include <vector>

#include "strata/storage/segment_file.h"

namespace strata::storage {

// ok[i] is false when files[i] could not be made durable. Duplicates are synced once.
std::vector<bool> sync_files(std::span<const std::shared_ptr<segment_file>> files);

} // namespace strata::storage
