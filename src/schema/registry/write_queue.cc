#include "strata/schema/write_queue.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace strata::schema {

boost::asio::awaitable<write_queue::turn> write_queue::wait_turn() {
    if (!busy_) {
        busy_ = true;
        co_return turn(this);
    }
    auto w = std::make_shared<cluster::waiter>(co_await boost::asio::this_coro::executor);
    w->timer.expires_at(boost::asio::steady_timer::time_point::max());
    waiting_.push_back(w);
    boost::system::error_code ignored;
    co_await w->timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
    // release() handed the turn over: busy_ stayed true for us.
    co_return turn(this);
}

void write_queue::release() {
    if (waiting_.empty()) {
        busy_ = false;
        return;
    }
    auto next = std::move(waiting_.front());
    waiting_.pop_front();
    next->wake();
}

} // namespace strata::schema
