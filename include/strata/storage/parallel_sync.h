#pragma once
// parallel_sync: makes many files durable at once by running their
// fdatasync(2) calls side by side on a few threads that do nothing else.
//
// Why not syncfs(2) (file_sync.h): syncfs waits for every dirty inode of the
// filesystem and writes the block device's dirty metadata home, so on a
// shared filesystem a round also pays for other processes' writeback and for
// the journal's checkpoint; under load that showed as rounds of 50-500 ms.
// Why not fdatasync in turn: each call then waits for its own device flush.
// Concurrent fdatasyncs of files whose metadata sits in the same journal
// transaction wait for that one commit, and the block layer merges their
// cache flushes, so a round costs about one file's sync and touches only the
// files handed in.
//
// For rounds of many files syncfs stays the cheaper call: waking a thread per
// file costs CPU on a busy machine (16 files a round: 12-15% lower produce
// rates and 60% more broker CPU here), and a round that large already has
// enough bytes in it to amortise the wider write-back. So a round with more
// distinct files than helpers + 1 goes to sync_files (file_sync.h); the
// steady small rounds of a moderate load (one to a few partitions each) are
// synced side by side.
//
// One caller at a time (the group-commit flusher thread); the caller works
// on the files too, so `helpers` threads give helpers + 1 syncs in flight.

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "strata/storage/segment_file.h"

namespace strata::storage {

class parallel_sync {
public:
    explicit parallel_sync(size_t helpers);
    ~parallel_sync();
    parallel_sync(const parallel_sync&) = delete;
    parallel_sync& operator=(const parallel_sync&) = delete;

    // ok[i] is false when files[i] could not be made durable. A file listed
    // twice is synced once and answered at each place.
    std::vector<bool> sync(std::span<const std::shared_ptr<segment_file>> files);

private:
    // Takes the next unsynced file of the current round, syncs it, records
    // the answer; returns false when none is left.
    bool sync_one(std::unique_lock<std::mutex>& lock);
    void helper_loop();

    std::mutex mu_;
    std::condition_variable work_cv_;
    std::condition_variable done_cv_;
    std::vector<segment_file*> round_;  // distinct files of the current round
    std::vector<char> ok_;              // answer per entry of round_
    size_t next_ = 0;                   // first entry of round_ not yet taken
    size_t unfinished_ = 0;             // entries taken or not, still unanswered
    bool stopping_ = false;
    std::vector<std::thread> helpers_;
};

} // namespace strata::storage
