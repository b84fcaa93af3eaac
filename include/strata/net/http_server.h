#pragma once
// A small HTTP/1.1 server (Boost.Beast) for the admin endpoints (/metrics)
// and the schema registry's REST API. Runs its connections as
// coroutines on the broker's io_context: no threads of its own, and it stops
// at once with the broker. Owned by the application.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace strata::net {

using http_headers = std::vector<std::pair<std::string, std::string>>;

// The value of header `name` (any case), if there is one.
std::optional<std::string_view> find_header(const http_headers& headers, std::string_view name);

struct http_request {
    std::string method;
    std::string target;  // path and query
    std::string body;
    std::string content_type;
    http_headers headers;  // every header, Content-Type too
};

struct http_response {
    unsigned status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
    http_headers headers;  // besides Content-Type
};

class http_server {
public:
    using handler = std::function<http_response(const http_request&)>;
    // For handlers that wait (a registry write waits for the disk); requests
    // of one connection are still answered one at a time, in order.
    using async_handler = std::function<boost::asio::awaitable<http_response>(http_request)>;

    http_server(boost::asio::io_context& io, handler h);
    http_server(boost::asio::io_context& io, async_handler h);
    // Binds host:port (0 picks a free port) and starts accepting.
    void listen(const std::string& host, uint16_t port);
    uint16_t bound_port() const;
    void stop();

private:
    boost::asio::awaitable<void> accept_loop();
    boost::asio::awaitable<void> serve(boost::asio::ip::tcp::socket socket, uint64_t id);

    boost::asio::io_context& io_;
    async_handler handler_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::unordered_map<uint64_t, boost::asio::ip::tcp::socket*> open_;
    uint64_t next_id_ = 1;
};

} // namespace strata::net
