#pragma once
// Closes a socket when an operation on it outlives its deadline, so that a
// coroutine awaiting a peer that stopped answering resumes with an error.
// The timer's handler holds only shared state: it is harmless when it runs
// after the owner is gone. Broker thread only.

#include <chrono>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

namespace strata::cluster {

class socket_deadline {
public:
    socket_deadline(const boost::asio::any_io_executor& ex, std::shared_ptr<boost::asio::ip::tcp::socket> socket,
                    std::chrono::milliseconds after)
        : state_(std::make_shared<state>()), timer_(ex) {
        state_->socket = std::move(socket);
        timer_.expires_after(after);
        timer_.async_wait([s = state_](boost::system::error_code ec) {
            if (ec || s->done) return;
            s->expired = true;
            boost::system::error_code ignored;
            s->socket->close(ignored);
        });
    }
    ~socket_deadline() {
        state_->done = true;
        timer_.cancel();
    }
    socket_deadline(const socket_deadline&) = delete;
    socket_deadline& operator=(const socket_deadline&) = delete;
    bool expired() const { return state_->expired; }

private:
    struct state {
        bool done = false;
        bool expired = false;
        std::shared_ptr<boost::asio::ip::tcp::socket> socket;
    };
    std::shared_ptr<state> state_;
    boost::asio::steady_timer timer_;
};

} // namespace strata::cluster
