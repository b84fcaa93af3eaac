#include "strata/cluster/etcd/etcd_transport.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <charconv>

#include <boost/asio/connect.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "strata/cluster/etcd/etcd_json.h"
#include "strata/cluster/socket_deadline.h"

namespace strata::cluster::etcd {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;

using deadline = cluster::socket_deadline;

namespace {

// Gateway answers are small (a range over the cluster's metadata); a larger one is refused.
constexpr uint64_t max_body_bytes = 64 * 1024 * 1024;
constexpr size_t max_idle_per_endpoint = 4;

http::request<http::string_body> make_post(const endpoint& ep, const std::string& path, std::string body) {
    http::request<http::string_body> req{http::verb::post, path, 11};
    req.set(http::field::host, ep.text());
    req.set(http::field::content_type, "application/json");
    req.keep_alive(true);
    req.body() = std::move(body);
    req.prepare_payload();
    return req;
}

// A quiet stream over a connection whose peer vanished (a partition, a
// dropped NAT entry) is noticed within about 20 s.
void set_keep_alive(tcp::socket& socket) {
    boost::system::error_code ignored;
    socket.set_option(asio::socket_base::keep_alive(true), ignored);
    const int idle_s = 10, interval_s = 3, probes = 3;
    ::setsockopt(socket.native_handle(), IPPROTO_TCP, TCP_KEEPIDLE, &idle_s, sizeof idle_s);
    ::setsockopt(socket.native_handle(), IPPROTO_TCP, TCP_KEEPINTVL, &interval_s, sizeof interval_s);
    ::setsockopt(socket.native_handle(), IPPROTO_TCP, TCP_KEEPCNT, &probes, sizeof probes);
}

errc error_of(std::string_view body, unsigned status, const endpoint& ep) {
    std::string message;
    errc e = json::error_from_body(body, message);
    if (e != errc::lease_not_found && e != errc::compacted)
        spdlog::warn("etcd {} answered HTTP {}: {}", ep.text(), status, message);
    return e;
}

} // namespace

void stream_canceller::cancel() {
    canceled_ = true;
    if (close_) close_();
}

result<std::vector<endpoint>, std::string> parse_endpoints(std::string_view list) {
    std::vector<endpoint> out;
    while (!list.empty()) {
        auto comma = list.find(',');
        std::string_view item = list.substr(0, comma);
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (item.empty()) continue;
        if (item.starts_with("https://"))
            return fail("metadata.etcd.endpoints: " + std::string(item) + ": TLS to etcd is not supported yet");
        if (item.starts_with("http://")) item.remove_prefix(7);
        if (!item.empty() && item.back() == '/') item.remove_suffix(1);
        auto colon = item.rfind(':');
        endpoint ep;
        ep.host = std::string(item.substr(0, colon));
        if (colon != std::string_view::npos) {
            auto digits = item.substr(colon + 1);
            unsigned port = 0;
            auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
            if (ec != std::errc{} || p != digits.data() + digits.size() || port == 0 || port > 65535)
                return fail("metadata.etcd.endpoints: bad port in " + std::string(item));
            ep.port = uint16_t(port);
        }
        if (ep.host.empty()) return fail("metadata.etcd.endpoints: no host in " + std::string(item));
        out.push_back(std::move(ep));
    }
    if (out.empty()) return fail(std::string("metadata.etcd.endpoints: no endpoint given"));
    return out;
}

transport::transport(asio::any_io_executor executor, std::vector<endpoint> endpoints,
                     std::chrono::milliseconds request_timeout)
    : executor_(std::move(executor)), endpoints_(std::move(endpoints)), timeout_(request_timeout) {}

transport::~transport() {
    boost::system::error_code ignored;
    for (auto& [i, s] : idle_) s->close(ignored);
}

asio::awaitable<result<transport::socket_ptr, errc>> transport::connect(const endpoint& ep) {
    auto socket = std::make_shared<tcp::socket>(executor_);
    deadline d(executor_, socket, timeout_);
    boost::system::error_code ec;
    tcp::resolver resolver(executor_);
    auto found = co_await resolver.async_resolve(ep.host, std::to_string(ep.port),
                                                 asio::redirect_error(asio::use_awaitable, ec));
    // Past the deadline the socket is closed, and connect would open it again.
    if (!ec && !d.expired()) co_await asio::async_connect(*socket, found, asio::redirect_error(asio::use_awaitable, ec));
    if (ec || d.expired()) co_return fail(d.expired() ? errc::timeout : errc::unavailable);
    socket->set_option(tcp::no_delay(true), ec);
    co_return socket;
}

asio::awaitable<result<std::string, errc>> transport::post_once(size_t index, const std::string& path,
                                                                const std::string& body) {
    const endpoint& ep = endpoints_[index];
    // A kept-alive connection etcd has closed meanwhile fails at once; the
    // request then goes again on a new one.
    for (int attempt = 0; attempt < 2; ++attempt) {
        socket_ptr socket;
        bool reused = false;
        if (auto it = idle_.find(index); it != idle_.end()) {
            socket = std::move(it->second);
            idle_.erase(it);
            reused = true;
        } else {
            auto connected = co_await connect(ep);
            if (!connected) co_return fail(connected.error());
            socket = std::move(*connected);
        }
        deadline d(executor_, socket, timeout_);
        boost::system::error_code ec;
        auto req = make_post(ep, path, body);
        co_await http::async_write(*socket, req, asio::redirect_error(asio::use_awaitable, ec));
        boost::beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(max_body_bytes);
        if (!ec) co_await http::async_read(*socket, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            // A timed-out write may still have been applied: callers that
            // compare-and-swap read again before they retry.
            if (d.expired()) co_return fail(errc::timeout);
            if (reused) {
                // etcd restarted, most likely: its other kept-alive connections are dead too.
                idle_.erase(index);
                continue;
            }
            co_return fail(errc::unavailable);
        }
        auto res = parser.release();
        if (res.keep_alive() && idle_.count(index) < max_idle_per_endpoint) idle_.emplace(index, socket);
        unsigned status = res.result_int();
        if (status / 100 != 2) co_return fail(error_of(res.body(), status, ep));
        co_return std::move(res.body());
    }
    co_return fail(errc::unavailable);
}

asio::awaitable<result<std::string, errc>> transport::post(std::string path, std::string body) {
    const auto start = std::chrono::steady_clock::now();
    auto r = co_await post_to_any(path, body);
    if (observer_)
        observer_(r ? std::nullopt : std::optional<errc>(r.error()),
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    co_return r;
}

asio::awaitable<result<std::string, errc>> transport::post_to_any(const std::string& path, const std::string& body) {
    errc last = errc::unavailable;
    for (size_t n = 0; n < endpoints_.size(); ++n) {
        size_t index = (current_ + n) % endpoints_.size();
        auto r = co_await post_once(index, path, body);
        if (r || (r.error() != errc::unavailable && r.error() != errc::timeout)) {
            current_ = index;
            co_return r;
        }
        last = r.error();
    }
    co_return fail(last);
}

asio::awaitable<result<void, errc>> transport::stream(std::string path, std::string body,
                                                      std::function<bool(std::string_view)> on_message,
                                                      std::shared_ptr<stream_canceller> canceller) {
    for (size_t n = 0; n < endpoints_.size(); ++n) {
        size_t index = (current_ + n) % endpoints_.size();
        const endpoint& ep = endpoints_[index];
        if (canceller->canceled()) co_return fail(errc::canceled);
        auto connected = co_await connect(ep);
        if (!connected) continue;
        socket_ptr socket = std::move(*connected);
        set_keep_alive(*socket);
        canceller->close_ = [weak = std::weak_ptr<tcp::socket>(socket)] {
            boost::system::error_code ignored;
            if (auto s = weak.lock()) s->close(ignored);
        };
        if (canceller->canceled()) co_return fail(errc::canceled);

        boost::system::error_code ec;
        boost::beast::flat_buffer buffer;
        http::response_parser<http::buffer_body> parser;
        parser.body_limit(boost::none);  // a watch streams for as long as it lives
        {
            deadline d(executor_, socket, timeout_);
            auto req = make_post(ep, path, body);
            co_await http::async_write(*socket, req, asio::redirect_error(asio::use_awaitable, ec));
            if (!ec)
                co_await http::async_read_header(*socket, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        }
        if (ec) {
            canceller->close_ = nullptr;
            if (canceller->canceled()) co_return fail(errc::canceled);
            continue;
        }
        current_ = index;
        const unsigned status = parser.get().result_int();
        std::string pending;
        char chunk[16384];
        while (!parser.is_done()) {
            parser.get().body().data = chunk;
            parser.get().body().size = sizeof chunk;
            // read_some: a watch's messages come one at a time, and read
            // would wait for the whole (endless) body or a full buffer.
            co_await http::async_read_some(*socket, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
            if (ec == http::error::need_buffer) ec = {};
            if (ec) break;
            pending.append(chunk, sizeof chunk - parser.get().body().size);
            if (status != 200) continue;
            size_t start = 0;
            for (size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1) {
                std::string_view line(pending.data() + start, nl - start);
                if (line.empty()) continue;
                if (!on_message(line)) {
                    canceller->close_ = nullptr;
                    boost::system::error_code ignored;
                    socket->close(ignored);
                    co_return result<void, errc>{};
                }
            }
            pending.erase(0, start);
        }
        canceller->close_ = nullptr;
        if (canceller->canceled()) co_return fail(errc::canceled);
        if (status != 200) co_return fail(error_of(pending, status, ep));
        co_return fail(errc::unavailable);
    }
    co_return fail(errc::unavailable);
}

} // namespace strata::cluster::etcd
