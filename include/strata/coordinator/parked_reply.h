#pragma once
// parked_reply<T>: the answer to a request that waits for something else
// (a JoinGroup for the join phase, a SyncGroup for the leader's assignment).
// The request's coroutine awaits it; whoever decides the answer calls
// complete(), which wakes the coroutine. Shared between the waiting
// coroutine and the group that will answer; broker thread only.

#include <optional>
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace strata::coordinator {

template<class T>
struct parked_reply {
    explicit parked_reply(boost::asio::any_io_executor ex) : timer(std::move(ex)) {
        timer.expires_at(boost::asio::steady_timer::time_point::max());
    }

    // The first answer wins: a request is answered once.
    void complete(T value) {
        if (result) return;
        result = std::move(value);
        timer.cancel();
    }

    boost::asio::awaitable<T> wait() {
        while (!result) {
            boost::system::error_code ignored;
            co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
        }
        co_return std::move(*result);
    }

    boost::asio::steady_timer timer;
    std::optional<T> result;
};

} // namespace strata::coordinator
