#include "strata/net/http_server.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

namespace strata::net {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

// Admin requests are small; anything bigger is refused by the parser.
constexpr size_t max_body_bytes = 8 * 1024 * 1024;

} // namespace

std::optional<std::string_view> find_header(const http_headers& headers, std::string_view name) {
    for (const auto& [n, v] : headers)
        if (boost::beast::iequals(n, name)) return std::string_view(v);
    return std::nullopt;
}

http_server::http_server(asio::io_context& io, handler h)
    : http_server(io, async_handler([h = std::move(h)](http_request req) -> asio::awaitable<http_response> {
          co_return h(req);
      })) {}

http_server::http_server(asio::io_context& io, async_handler h)
    : io_(io), handler_(std::move(h)), acceptor_(io) {}

void http_server::listen(const std::string& host, uint16_t port) {
    asio::ip::tcp::resolver resolver(io_);
    auto endpoint = *resolver.resolve(host.empty() ? "0.0.0.0" : host, std::to_string(port)).begin();
    acceptor_.open(endpoint.endpoint().protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen();
    asio::co_spawn(io_, accept_loop(), asio::detached);
}

uint16_t http_server::bound_port() const { return acceptor_.local_endpoint().port(); }

void http_server::stop() {
    boost::system::error_code ec;
    acceptor_.close(ec);
    for (auto& [id, socket] : open_) socket->close(ec);
    open_.clear();
}

asio::awaitable<void> http_server::accept_loop() {
    for (;;) {
        boost::system::error_code ec;
        auto socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            if (!acceptor_.is_open()) co_return;
            continue;
        }
        asio::co_spawn(io_, serve(std::move(socket), next_id_++), asio::detached);
    }
}

asio::awaitable<void> http_server::serve(asio::ip::tcp::socket socket, uint64_t id) {
    open_[id] = &socket;
    boost::beast::flat_buffer buffer;
    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(max_body_bytes);
        boost::system::error_code ec;
        co_await http::async_read(socket, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
        const auto& req = parser.get();
        http_request in{std::string(req.method_string()), std::string(req.target()), req.body(),
                        std::string(req[http::field::content_type]), {}};
        for (const auto& field : req) in.headers.emplace_back(field.name_string(), field.value());
        http_response out = co_await handler_(std::move(in));
        http::response<http::string_body> res{static_cast<http::status>(out.status), req.version()};
        res.set(http::field::content_type, out.content_type);
        for (const auto& [name, value] : out.headers) res.set(name, value);
        res.keep_alive(req.keep_alive());
        res.body() = std::move(out.body);
        res.prepare_payload();
        co_await http::async_write(socket, res, asio::redirect_error(asio::use_awaitable, ec));
        if (ec || !res.keep_alive()) break;
    }
    boost::system::error_code ignored;
    socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    open_.erase(id);
}

} // namespace strata::net
