#pragma once
// One partition led by this broker: its log, high watermark and the fetches
// and produces waiting on it. On a single node the high watermark is the log
// end offset: every appended record is committed. Lives on the broker thread.

#include <cstdint>
#include <memory>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "strata/base/types.h"
#include "strata/storage/log.h"

namespace strata::cluster {

// A parked request (long-polling fetch, acks=all produce). Waking cancels the
// timer, which resumes the coroutine waiting on it.
struct waiter {
    explicit waiter(boost::asio::any_io_executor ex) : timer(ex) {}
    boost::asio::steady_timer timer;
    void wake() { timer.cancel(); }
};

class partition {
public:
    partition(topic_partition tp, storage::log& log) : tp_(std::move(tp)), log_(&log) {}

    const topic_partition& id() const { return tp_; }
    storage::log& log() { return *log_; }
    const storage::log& log() const { return *log_; }
    int64_t high_watermark() const { return log_->log_end_offset(); }
    int32_t leader_epoch() const { return 0; }

    // Fetches parked until new data arrives.
    void add_fetch_waiter(const std::shared_ptr<waiter>& w) { fetch_waiters_.push_back(w); }
    void notify_append();

private:
    topic_partition tp_;
    storage::log* log_;
    std::vector<std::weak_ptr<waiter>> fetch_waiters_;
};

} // namespace strata::cluster
