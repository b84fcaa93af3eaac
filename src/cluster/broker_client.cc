#include "strata/cluster/broker_client.h"

#include <array>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "strata/cluster/socket_deadline.h"

namespace strata::cluster {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

// A response larger than this is refused: fetches ask for far less.
constexpr uint32_t max_response_bytes = 256u << 20;

// Built outside coroutines: GCC 12 miscompiles braced lists inside them.
std::array<uint8_t, 4> size_prefix(size_t n) {
    return {uint8_t(n >> 24), uint8_t(n >> 16), uint8_t(n >> 8), uint8_t(n)};
}

std::array<asio::const_buffer, 2> frame_buffers(const std::array<uint8_t, 4>& prefix,
                                                const std::vector<uint8_t>& payload) {
    return {asio::buffer(prefix), asio::buffer(payload)};
}

uint32_t size_of(const std::array<uint8_t, 4>& b) {
    return uint32_t(b[0]) << 24 | uint32_t(b[1]) << 16 | uint32_t(b[2]) << 8 | b[3];
}

} // namespace

broker_client::broker_client(asio::any_io_executor executor, std::string host, uint16_t port, std::string client_id)
    : executor_(std::move(executor)), host_(std::move(host)), port_(port), client_id_(std::move(client_id)) {}

broker_client::~broker_client() { close(); }

void broker_client::close() {
    if (!socket_) return;
    boost::system::error_code ignored;
    socket_->close(ignored);
    socket_.reset();
}

asio::awaitable<result<std::vector<uint8_t>, client_errc>> broker_client::exchange(const std::vector<uint8_t>& request,
                                                                                  std::chrono::milliseconds timeout) {
    boost::system::error_code ec;
    if (!socket_) {
        auto socket = std::make_shared<tcp::socket>(executor_);
        socket_deadline d(executor_, socket, timeout);
        tcp::resolver resolver(executor_);
        auto found = co_await resolver.async_resolve(host_, std::to_string(port_),
                                                     asio::redirect_error(asio::use_awaitable, ec));
        if (!ec && !d.expired()) co_await asio::async_connect(*socket, found, asio::redirect_error(asio::use_awaitable, ec));
        if (ec || d.expired()) co_return fail(d.expired() ? client_errc::timeout : client_errc::unreachable);
        socket->set_option(tcp::no_delay(true), ec);
        socket_ = std::move(socket);
    }
    // The socket, not the member: close() may run while this waits.
    auto socket = socket_;
    socket_deadline d(executor_, socket, timeout);
    const auto prefix = size_prefix(request.size());
    const auto out = frame_buffers(prefix, request);
    co_await asio::async_write(*socket, out, asio::redirect_error(asio::use_awaitable, ec));
    auto size_bytes = size_prefix(0);
    if (!ec) co_await asio::async_read(*socket, asio::buffer(size_bytes), asio::redirect_error(asio::use_awaitable, ec));
    std::vector<uint8_t> frame;
    if (!ec) {
        const uint32_t size = size_of(size_bytes);
        if (size > max_response_bytes) {
            if (socket_ == socket) close();
            co_return fail(client_errc::bad_response);
        }
        frame.resize(size);
        co_await asio::async_read(*socket, asio::buffer(frame), asio::redirect_error(asio::use_awaitable, ec));
    }
    if (ec || d.expired()) {
        if (socket_ == socket) close();
        co_return fail(d.expired() ? client_errc::timeout : client_errc::unreachable);
    }
    co_return frame;
}

} // namespace strata::cluster
