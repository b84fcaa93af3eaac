#pragma once
// One registry write at a time: a write checks the state, appends to _schemas,
// waits for the disk and only then applies, so a second write must not check
// before the first has applied (two registrations would take one ID). Writers
// wait their turn in arrival order. Owned by the registry; broker thread.

#include <deque>
#include <memory>

#include <boost/asio/awaitable.hpp>

#include "strata/cluster/partition.h"

namespace strata::schema {

class write_queue {
public:
    // Holding a turn; the next writer goes when it is destroyed.
    class turn {
    public:
        explicit turn(write_queue* q) : q_(q) {}
        turn(turn&& o) noexcept : q_(std::exchange(o.q_, nullptr)) {}
        turn(const turn&) = delete;
        turn& operator=(const turn&) = delete;
        turn& operator=(turn&&) = delete;
        ~turn() {
            if (q_) q_->release();
        }

    private:
        write_queue* q_;
    };

    boost::asio::awaitable<turn> wait_turn();

private:
    void release();

    bool busy_ = false;
    std::deque<std::shared_ptr<cluster::waiter>> waiting_;
};

} // namespace strata::schema
