#pragma once
// Accepts connections on one listener and runs a connection coroutine for each.
// Runs on the broker's io_context thread; owned by the application, as are
// the connection_quotas all listeners share.

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "strata/net/connection.h"
#include "strata/net/connection_quotas.h"

namespace strata::net {

class tcp_server {
public:
    tcp_server(boost::asio::io_context& io, frame_handler& handler, connection_limits limits,
               connection_quotas& quotas);
    ~tcp_server();
    tcp_server(const tcp_server&) = delete;
    tcp_server& operator=(const tcp_server&) = delete;

    // Binds host:port (port 0 picks a free port) and starts accepting.
    void listen(const std::string& host, uint16_t port) {
        bind(host, port);
        start_accepting();
    }
    // Binds and listens; connections wait in the kernel's backlog until
    // start_accepting(), as a broker's do until it has the cluster's state.
    void bind(const std::string& host, uint16_t port);
    void start_accepting();
    uint16_t bound_port() const { return acceptor_.local_endpoint().port(); }
    void stop();
    size_t connection_count() const { return connections_.size(); }
    // Closes connections idle for longer than connections.max.idle.ms.
    size_t close_idle(int64_t now_steady_ms);

private:
    boost::asio::awaitable<void> accept_loop();

    boost::asio::io_context& io_;
    frame_handler& handler_;
    connection_limits limits_;
    connection_quotas& quotas_;
    boost::asio::ip::tcp::acceptor acceptor_;
    // At max.connections (counted across listeners) the accept loop waits on
    // this; connection_quotas cancels it when any listener's connection closes.
    boost::asio::steady_timer slot_freed_;
    std::unordered_map<uint64_t, std::weak_ptr<connection>> connections_;
    uint64_t next_id_ = 1;
};

} // namespace strata::net
