#pragma once
// One client connection: reads size-prefixed frames, passes each to the
// frame_handler, and writes responses in request order. Requests are
// pipelined: while one waits (an acks=all produce for its fsync, a fetch
// long-polling), the next ones are read and handled, so a producer's in-flight
// requests share group-commit rounds. Handlers start in arrival order (each
// runs until its first suspension before the next starts), so appends keep
// the client's order; responses are queued and written strictly in order.
// Record bytes of fetch responses are sent with sendfile.
// Runs as a coroutine on the broker's io_context thread; owned by itself
// (kept alive by the coroutine frame) and tracked by the server for shutdown.

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "strata/net/frame_handler.h"

namespace strata::net {

struct connection_limits {
    // socket.request.max.bytes: larger frames close the connection.
    uint32_t max_request_bytes = 100 * 1024 * 1024;
    // max.connections: at the limit, counted over all listeners, they stop
    // accepting until one closes (the counts are connection_quotas').
    uint32_t max_connections = UINT32_MAX;
    // connections.max.idle.ms: connections without a request for this long are closed.
    int64_t max_idle_ms = 600000;
    // Requests of one connection handled concurrently; the reader waits beyond it.
    size_t max_in_flight = 16;
};

class connection : public std::enable_shared_from_this<connection> {
public:
    connection(boost::asio::ip::tcp::socket socket, frame_handler& handler, connection_limits limits,
               uint64_t id);

    boost::asio::awaitable<void> run();
    void close();
    const connection_info& info() const { return info_; }
    // Steady-clock milliseconds of the last complete request (or of the accept).
    int64_t last_active_ms() const { return last_active_ms_; }

private:
    // A request from arrival until its response is written.
    struct in_flight {
        frame_bytes frame;
        std::optional<frame_outcome> outcome;  // set once handled
    };

    boost::asio::awaitable<void> read_frame(frame_bytes& frame, size_t size);
    boost::asio::awaitable<void> process(std::shared_ptr<in_flight> request);
    // Writes the completed responses at the head of the queue, in order.
    boost::asio::awaitable<void> flush_responses();
    boost::asio::awaitable<void> write_response(const kafka::encoded_message& response);
    boost::asio::awaitable<void> write_response_parts(const kafka::encoded_message& response);
    void set_cork(bool on);
    boost::asio::awaitable<void> send_file_region(const kafka::file_region& region);

    boost::asio::ip::tcp::socket socket_;
    frame_handler& handler_;
    connection_limits limits_;
    connection_info info_;
    int64_t last_active_ms_ = 0;
    std::deque<std::shared_ptr<in_flight>> queue_;
    bool writing_ = false;
    bool closing_ = false;
    // Wakes the reader when the queue has room again (cancel() is the signal).
    boost::asio::steady_timer room_;
};

int64_t steady_now_ms();

} // namespace strata::net
