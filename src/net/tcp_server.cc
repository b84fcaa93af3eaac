#include "strata/net/tcp_server.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

namespace strata::net {

namespace asio = boost::asio;

tcp_server::tcp_server(asio::io_context& io, frame_handler& handler, connection_limits limits,
                       connection_quotas& quotas)
    : io_(io), handler_(handler), limits_(limits), quotas_(quotas), acceptor_(io), slot_freed_(io) {
    quotas_.watch(slot_freed_);
}

tcp_server::~tcp_server() { quotas_.unwatch(slot_freed_); }

void tcp_server::bind(const std::string& host, uint16_t port) {
    asio::ip::tcp::resolver resolver(io_);
    auto endpoint = *resolver.resolve(host.empty() ? "0.0.0.0" : host, std::to_string(port)).begin();
    acceptor_.open(endpoint.endpoint().protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
}

void tcp_server::start_accepting() { asio::co_spawn(io_, accept_loop(), asio::detached); }

void tcp_server::stop() {
    boost::system::error_code ec;
    acceptor_.close(ec);
    slot_freed_.cancel();
    for (auto& [id, weak] : connections_)
        if (auto c = weak.lock()) c->close();
    // Each closed connection gives its per-address slot back as its coroutine ends.
    connections_.clear();
}

size_t tcp_server::close_idle(int64_t now_steady_ms) {
    size_t closed = 0;
    for (auto& [id, weak] : connections_) {
        auto c = weak.lock();
        if (c && now_steady_ms - c->last_active_ms() > limits_.max_idle_ms) {
            // Closing cancels the pending read; the connection's coroutine then ends.
            c->close();
            ++closed;
        }
    }
    return closed;
}

asio::awaitable<void> tcp_server::accept_loop() {
    uint64_t failures_in_a_row = 0;
    for (;;) {
        boost::system::error_code ec;
        // At max.connections, counted over every listener, Kafka stops
        // accepting until a connection closes (new ones wait in the listen
        // backlog); only max.connections.per.ip closes the connections over it.
        while (quotas_.total() >= limits_.max_connections && acceptor_.is_open()) {
            slot_freed_.expires_at(asio::steady_timer::time_point::max());
            co_await slot_freed_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
        if (!acceptor_.is_open()) co_return;
        auto socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
            // Out of file descriptors (or memory): the connection stays queued
            // and the listener readable, so retrying at once would spin a core
            // and flood the log. Back off; connections already open go on.
            if (failures_in_a_row++ % 600 == 0)
                spdlog::warn("accept failed ({} times in a row): {}; retrying every 100 ms", failures_in_a_row,
                             ec.message());
            asio::steady_timer backoff(io_, std::chrono::milliseconds(100));
            co_await backoff.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            continue;
        }
        if (failures_in_a_row > 0) {
            spdlog::info("accepting again after {} failed attempts", failures_in_a_row);
            failures_in_a_row = 0;
        }
        boost::system::error_code peer_ec;
        auto peer = socket.remote_endpoint(peer_ec);
        std::string ip = peer_ec ? std::string() : connection_quotas::address_key(peer.address());
        if (!quotas_.try_acquire(ip)) {
            // Kafka closes connections over max.connections.per.ip (or the
            // address's override) right away.
            spdlog::info("refusing a connection from {}: {} open in all, {} from that address (limit {})", ip,
                         quotas_.total(), quotas_.count(ip), quotas_.limit_for(ip));
            socket.close(peer_ec);
            continue;
        }
        auto id = next_id_++;
        auto conn = std::make_shared<connection>(std::move(socket), handler_, limits_, id);
        connections_.emplace(id, conn);
        asio::co_spawn(io_, [this, conn, id, ip]() -> asio::awaitable<void> {
            co_await conn->run();
            connections_.erase(id);
            quotas_.release(ip);
        }, asio::detached);
    }
}

} // namespace strata::net
