#pragma once
// HTTP/1.1 to etcd's JSON gateway (Boost.Beast): POSTs with a per-request
// timeout, kept-alive connections reused, the next endpoint tried when one
// does not answer, and long-lived streams (watches) read message by message.
// Runs as coroutines on the broker's io_context; owned by etcd::client.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "strata/base/result.h"
#include "strata/cluster/etcd/etcd_types.h"

namespace strata::cluster::etcd {

struct endpoint {
    std::string host;
    uint16_t port = 2379;
    std::string text() const { return host + ":" + std::to_string(port); }
};

// "http://host:port,host:port": the endpoints of metadata.etcd.endpoints.
result<std::vector<endpoint>, std::string> parse_endpoints(std::string_view list);

// Lets the owner of a stream end it from outside: closes its socket.
class stream_canceller {
public:
    void cancel();
    bool canceled() const { return canceled_; }

private:
    friend class transport;
    bool canceled_ = false;
    std::function<void()> close_;
};

class transport {
public:
    transport(boost::asio::any_io_executor executor, std::vector<endpoint> endpoints,
              std::chrono::milliseconds request_timeout);
    ~transport();

    // The body of a 2xx answer to POST `path`; etcd's error bodies as errc.
    boost::asio::awaitable<result<std::string, errc>> post(std::string path, std::string body);

    // POSTs and hands each newline-delimited message of the streamed answer
    // to `on_message` until it returns false, the stream ends (unavailable),
    // or `canceller` is used (canceled). A stream is quiet while nothing
    // changes, so TCP keep-alive probes find a peer that is gone.
    boost::asio::awaitable<result<void, errc>> stream(std::string path, std::string body,
                                                      std::function<bool(std::string_view)> on_message,
                                                      std::shared_ptr<stream_canceller> canceller);

    // Told of every finished post: its outcome (nullopt: success) and duration.
    using observer = std::function<void(std::optional<errc> error, double seconds)>;
    void observe(observer o) { observer_ = std::move(o); }

    // The endpoint requests go to first (the last one that answered).
    const endpoint& current() const { return endpoints_[current_]; }

private:
    using socket_ptr = std::shared_ptr<boost::asio::ip::tcp::socket>;
    boost::asio::awaitable<result<socket_ptr, errc>> connect(const endpoint& ep);
    boost::asio::awaitable<result<std::string, errc>> post_to_any(const std::string& path, const std::string& body);
    boost::asio::awaitable<result<std::string, errc>> post_once(size_t endpoint_index, const std::string& path,
                                                                const std::string& body);

    boost::asio::any_io_executor executor_;
    std::vector<endpoint> endpoints_;
    std::chrono::milliseconds timeout_;
    size_t current_ = 0;
    // Kept-alive connections by endpoint index, ready for the next request.
    std::multimap<size_t, socket_ptr> idle_;
    observer observer_;
};

} // namespace strata::cluster::etcd
