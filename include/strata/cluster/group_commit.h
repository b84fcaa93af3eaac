#pragma once
// Group commit: acks=all produces wait here until their data is on disk. One
// flusher thread syncs every log with unsynced appends at once (parallel_sync.h),
// so concurrent producers share each sync instead of paying one each. While a
// round of syncs runs, new appends gather for the next round.
//
// The broker thread calls wait_durable() and receives completions through its
// executor; the flusher thread only touches the files handed to it.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "strata/cluster/partition.h"
#include "strata/storage/log.h"
#include "strata/storage/parallel_sync.h"

namespace strata::cluster {

class group_commit {
public:
    // `on_sync` observes each round's duration in seconds (metrics).
    explicit group_commit(boost::asio::any_io_executor ex, std::function<void(double)> on_sync = {});

    ~group_commit();
    group_commit(const group_commit&) = delete;
    group_commit& operator=(const group_commit&) = delete;

    // Resumes once `log` is durable up to and including `last_offset`. False
    // when a sync failed (the disk is in trouble: KAFKA_STORAGE_ERROR).
    boost::asio::awaitable<bool> wait_durable(storage::log& log, int64_t last_offset);

    // One log's part of a request that waits for several at once.
    struct target {
        storage::log* log;
        int64_t last_offset;
        bool durable = false;  // set when it resumes
    };
    // Resumes once every target is durable (or failed), filling in `durable`.
    // A Produce waits for all its partitions with one call, so they join the
    // same round: awaiting them one by one would start a round for the first
    // partition alone and the rest would follow in later rounds.
    boost::asio::awaitable<void> wait_durable(std::span<target> targets);

    // The log is going away (topic deleted): fail its waiters, drop it.
    void forget(storage::log& log);
    void stop();

private:
    // What one wait_durable call waits for: woken when `outstanding` reaches 0.
    struct wait_state {
        explicit wait_state(boost::asio::any_io_executor ex) : w(ex) {}
        waiter w;
        size_t outstanding = 0;
        std::span<target> targets;
    };
    struct pending {
        int64_t offset;
        std::shared_ptr<wait_state> state;
        size_t index;  // into state->targets
    };
    static void settle(const pending& p, bool ok);
    struct job {
        storage::log* log;
        storage::flush_request request;
        bool ok = true;
    };

    void schedule();
    void start_round();
    void on_round_done(std::vector<job> jobs);
    void flusher_loop();

    // Threads beside the flusher for a small round's fdatasyncs; larger
    // rounds use syncfs (parallel_sync.h).
    static constexpr size_t kSyncHelpers = 3;

    boost::asio::any_io_executor ex_;
    std::function<void(double)> on_sync_;
    std::map<storage::log*, std::vector<pending>> waiting_;
    bool round_in_flight_ = false;

    // Syncs each round's files side by side; used by the flusher thread only.
    storage::parallel_sync syncer_{kSyncHelpers};
    // Hand-off to the flusher thread.
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::vector<job>> rounds_;
    bool stopping_ = false;
    std::thread flusher_;
};

} // namespace strata::cluster
