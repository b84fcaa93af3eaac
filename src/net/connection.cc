#include "strata/net/connection.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/sendfile.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <chrono>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

namespace strata::net {

namespace asio = boost::asio;

int64_t steady_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

connection::connection(asio::ip::tcp::socket socket, frame_handler& handler, connection_limits limits, uint64_t id)
    : socket_(std::move(socket)), handler_(handler), limits_(limits), last_active_ms_(steady_now_ms()),
      room_(socket_.get_executor()) {
    boost::system::error_code ec;
    auto ep = socket_.remote_endpoint(ec);
    if (!ec) {
        info_.peer_address = ep.address().to_string();
        info_.peer_port = ep.port();
    }
    info_.id = id;
    socket_.set_option(asio::ip::tcp::no_delay(true), ec);
}

void connection::close() {
    closing_ = true;
    room_.cancel();
    boost::system::error_code ec;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    socket_.close(ec);
}

asio::awaitable<void> connection::run() {
    auto self = shared_from_this();
    try {
        while (!closing_) {
            std::array<uint8_t, 4> size_bytes;
            co_await asio::async_read(socket_, asio::buffer(size_bytes), asio::use_awaitable);
            int32_t size = int32_t(uint32_t(size_bytes[0]) << 24 | uint32_t(size_bytes[1]) << 16 |
                                   uint32_t(size_bytes[2]) << 8 | size_bytes[3]);
            if (size <= 0 || uint32_t(size) > limits_.max_request_bytes) {
                spdlog::warn("closing connection from {}:{}: frame size {} outside 1..{} (socket.request.max.bytes)",
                             info_.peer_address, info_.peer_port, size, limits_.max_request_bytes);
                break;
            }
            auto request = std::make_shared<in_flight>();
            co_await read_frame(request->frame, size_t(size));
            last_active_ms_ = steady_now_ms();
            queue_.push_back(request);
            // Posted, so handlers start in arrival order, each before the next frame is read.
            asio::co_spawn(socket_.get_executor(), process(std::move(request)), asio::detached);
            while (queue_.size() >= limits_.max_in_flight && !closing_) {
                room_.expires_at(asio::steady_timer::time_point::max());
                boost::system::error_code ignored;
                co_await room_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
            }
        }
    } catch (const boost::system::system_error& e) {
        if (e.code() != asio::error::eof && e.code() != asio::error::operation_aborted &&
            e.code() != asio::error::connection_reset)
            spdlog::debug("connection {}:{} ended: {}", info_.peer_address, info_.peer_port, e.what());
    }
    close();
}

asio::awaitable<void> connection::process(std::shared_ptr<in_flight> request) {
    auto self = shared_from_this();
    request->outcome = co_await handler_.handle_frame(request->frame, info_);
    request->frame = {};  // the request bytes are no longer needed; the response may wait a while
    co_await flush_responses();
}

asio::awaitable<void> connection::flush_responses() {
    // One writer at a time; whoever completes the head of the queue writes.
    if (writing_) co_return;
    writing_ = true;
    try {
        while (!closing_ && !queue_.empty() && queue_.front()->outcome) {
            auto head = std::move(queue_.front());
            queue_.pop_front();
            room_.cancel();
            if (head->outcome->response) co_await write_response(*head->outcome->response);
            if (head->outcome->close) close();
        }
    } catch (const boost::system::system_error& e) {
        spdlog::debug("connection {}:{} write failed: {}", info_.peer_address, info_.peer_port, e.what());
        close();
    }
    writing_ = false;
}

asio::awaitable<void> connection::read_frame(frame_bytes& frame, size_t size) {
    // The buffer grows with the bytes that actually arrive, so a client that
    // announces a huge frame and then trickles (or sends nothing) holds little memory.
    constexpr size_t chunk = 256 * 1024;
    frame.clear();
    while (frame.size() < size) {
        size_t at = frame.size();
        size_t n = std::min(chunk, size - at);
        frame.resize(at + n);
        co_await asio::async_read(socket_, asio::buffer(frame.data() + at, n), asio::use_awaitable);
    }
}

void connection::set_cork(bool on) {
    int value = on ? 1 : 0;
    // Best effort: without the cork the response is still correct, only cut
    // into more segments.
    (void)::setsockopt(socket_.native_handle(), IPPROTO_TCP, TCP_CORK, &value, sizeof value);
}

asio::awaitable<void> connection::write_response(const kafka::encoded_message& response) {
    // A response with file regions (a Fetch) is written in several calls:
    // partition headers between sendfile runs. With TCP_NODELAY each header
    // would leave as a segment of its own, and a receiver with a small fixed
    // buffer (the Java consumer's 64 KiB receive.buffer.bytes) runs out of
    // buffer memory on the many small segments before its window is used
    // up: it drops data, and the retransmission timeout (200 ms and more)
    // stalls the consumer. Corked, the kernel sends full segments; uncorking
    // at the end pushes out the tail at once.
    const bool corked = std::any_of(response.parts.begin(), response.parts.end(), [](const kafka::fragment& f) {
        return std::holds_alternative<kafka::file_region>(f);
    });
    if (corked) set_cork(true);
    co_await write_response_parts(response);
    if (corked) set_cork(false);
}

asio::awaitable<void> connection::write_response_parts(const kafka::encoded_message& response) {
    std::array<uint8_t, 4> size_prefix;
    auto total = uint32_t(response.size_bytes);
    for (int i = 0; i < 4; ++i) size_prefix[size_t(i)] = uint8_t(total >> (24 - 8 * i));

    // Gather consecutive byte runs into one write; file regions go through sendfile.
    std::vector<asio::const_buffer> pending{asio::buffer(size_prefix)};
    for (const auto& part : response.parts) {
        if (const auto* run = std::get_if<kafka::byte_run>(&part)) {
            pending.push_back(asio::buffer(response.bytes.data() + run->offset, run->size));
            continue;
        }
        if (!pending.empty()) {
            co_await asio::async_write(socket_, pending, asio::use_awaitable);
            pending.clear();
        }
        co_await send_file_region(std::get<kafka::file_region>(part));
    }
    if (!pending.empty()) co_await asio::async_write(socket_, pending, asio::use_awaitable);
}

asio::awaitable<void> connection::send_file_region(const kafka::file_region& region) {
    // Zero-copy: the kernel moves page-cache pages of the segment to the socket.
    socket_.native_non_blocking(true);
    off_t offset = off_t(region.position);
    size_t left = region.size;
    while (left > 0) {
        ssize_t n = ::sendfile(socket_.native_handle(), region.fd, &offset, left);
        if (n > 0) {
            left -= size_t(n);
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            co_await socket_.async_wait(asio::ip::tcp::socket::wait_write, asio::use_awaitable);
            continue;
        }
        // The file shrank under us (truncation) or the socket failed: the response
        // cannot be completed, so the connection must go.
        throw boost::system::system_error(n == 0 ? asio::error::eof
                                                 : boost::system::error_code(errno, boost::system::system_category()));
    }
}

} // namespace strata::net
