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
};

class connection : public std::enable_shared_from_this<connection> {
public:
    connection(boost::asio::ip::tcp::socket socket, frame_handler& handler, connection_limits limits,
               uint64_t id);

    boost::asio::awaitable<void> run();
    void close();
    const connection_info& info() const { return info_; }

private:
    boost::asio::awaitable<void> write_response(const kafka::encoded_message& response);
    boost::asio::awaitable<void> send_file_region(const kafka::file_region& region);

    boost::asio::ip::tcp::socket socket_;
    frame_handler& handler_;
    connection_limits limits_;
    connection_info info_;
};

} // namespace strata::net
