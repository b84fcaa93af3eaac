#pragma once
// One client connection: reads size-prefixed frames, passes each to the
// frame_handler, and writes responses in request order. Like Kafka, a
// connection processes one request at a time, which gives in-order responses
// by construction. Record bytes of fetch responses are sent with sendfile.
// Runs as a coroutine on the broker's io_context thread; owned by itself
// (kept alive by the coroutine frame) and tracked by the server for shutdown.

#include <cstdint>
#include <memory>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "strata/net/frame_handler.h"

namespace strata::net {

struct connection_limits {
    // socket.request.max.bytes: larger frames close the connection.
    uint32_t max_request_bytes = 100 * 1024 * 1024;
    // max.connections and max.connections.per.ip: new connections beyond
    // them are closed at once.
    uint32_t max_connections = UINT32_MAX;
    uint32_t max_connections_per_ip = UINT32_MAX;
    // connections.max.idle.ms: connections without a request for this long are closed.
    int64_t max_idle_ms = 600000;
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
    boost::asio::awaitable<void> read_frame(std::vector<uint8_t>& frame, size_t size);
    boost::asio::awaitable<void> write_response(const kafka::encoded_message& response);
    boost::asio::awaitable<void> send_file_region(const kafka::file_region& region);

    boost::asio::ip::tcp::socket socket_;
    frame_handler& handler_;
    connection_limits limits_;
    connection_info info_;
    int64_t last_active_ms_ = 0;
};

int64_t steady_now_ms();

} // namespace strata::net
