#include "strata/net/http_client.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

namespace strata::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

asio::awaitable<result<http_response, std::string>> http_call(asio::any_io_executor ex, std::string host,
                                                              uint16_t port, http_request req,
                                                              std::chrono::milliseconds timeout) {
    boost::system::error_code ec;
    asio::ip::tcp::resolver resolver(ex);
    auto endpoints = co_await resolver.async_resolve(host, std::to_string(port),
                                                     asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return fail("cannot resolve " + host + ": " + ec.message());
    beast::tcp_stream stream(ex);
    stream.expires_after(timeout);  // one deadline for the whole exchange
    co_await stream.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return fail("cannot connect to " + host + ":" + std::to_string(port) + ": " + ec.message());
    http::request<http::string_body> out{http::string_to_verb(req.method), req.target, 11};
    out.set(http::field::host, host);
    if (!req.content_type.empty()) out.set(http::field::content_type, req.content_type);
    for (const auto& [name, value] : req.headers) out.set(name, value);
    out.body() = std::move(req.body);
    out.prepare_payload();
    co_await http::async_write(stream, out, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return fail("cannot send to " + host + ": " + ec.message());
    beast::flat_buffer buffer;
    http::response<http::string_body> in;
    co_await http::async_read(stream, buffer, in, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return fail("no response from " + host + ": " + ec.message());
    http_response response;
    response.status = in.result_int();
    response.content_type = std::string(in[http::field::content_type]);
    response.body = std::move(in.body());
    // Only extension headers: the rest describe this connection, not the answer.
    for (const auto& field : in)
        if (field.name_string().size() > 2 && beast::iequals(field.name_string().substr(0, 2), "x-"))
            response.headers.emplace_back(field.name_string(), field.value());
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    co_return response;
}

} // namespace strata::net
