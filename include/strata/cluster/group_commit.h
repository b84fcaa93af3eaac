#pragma once
// Group commit: acks=all produces wait here until their data is on disk. One
// flusher thread runs fdatasync for every log with unsynced appends at once,
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
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "strata/cluster/partition.h"
#include "strata/storage/log.h"

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

    // The log is going away (topic deleted): fail its waiters, drop it.
    void forget(storage::log& log);
    void stop();

private:
    struct pending {
        int64_t offset;
        std::shared_ptr<waiter> w;
        std::shared_ptr<bool> ok;
    };
    struct job {
        storage::log* log;
        storage::flush_request request;
        bool ok = true;
    };

    void schedule();
    void on_round_done(std::vector<job> jobs);
    void flusher_loop();

    boost::asio::any_io_executor ex_;
    std::function<void(double)> on_sync_;
    std::map<storage::log*, std::vector<pending>> waiting_;
    bool round_in_flight_ = false;

    // Hand-off to the flusher thread.
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::vector<job>> rounds_;
    bool stopping_ = false;
    std::thread flusher_;
};

} // namespace strata::cluster
