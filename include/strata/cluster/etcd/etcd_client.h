#pragma once
// A client of etcd's v3 API over its JSON gateway: reads, writes,
// compare-and-swap transactions, leases and watches, each a coroutine on the
// broker's io_context. Why the gateway and not gRPC: it needs nothing beyond
// Boost.Beast, which the broker already links, and etcd serves it on the
// client port. Owned by the application; used on the broker thread only.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "strata/base/result.h"
#include "strata/cluster/etcd/etcd_transport.h"
#include "strata/cluster/etcd/etcd_types.h"

namespace strata::cluster::etcd {

class client {
public:
    client(boost::asio::any_io_executor executor, std::vector<endpoint> endpoints,
           std::chrono::milliseconds request_timeout);

    boost::asio::awaitable<result<range_response, errc>> get(std::string key);
    boost::asio::awaitable<result<range_response, errc>> get_prefix(std::string prefix);
    // The revision of the write.
    boost::asio::awaitable<result<int64_t, errc>> put(std::string key, std::string value, int64_t lease = 0);
    boost::asio::awaitable<result<int64_t, errc>> erase(std::string key);
    boost::asio::awaitable<result<txn_response, errc>> txn(std::vector<compare> compares,
                                                           std::vector<request_op> success,
                                                           std::vector<request_op> failure = {});

    // Creates `key` unless it exists; succeeded false then, with the existing
    // key as the one range of the answer.
    boost::asio::awaitable<result<txn_response, errc>> put_if_absent(std::string key, std::string value,
                                                                     int64_t lease = 0);

    boost::asio::awaitable<result<lease_grant, errc>> grant_lease(int64_t ttl_s);
    // The remaining TTL; lease_not_found once the lease has expired.
    boost::asio::awaitable<result<int64_t, errc>> keep_alive(int64_t lease);
    boost::asio::awaitable<result<void, errc>> revoke_lease(int64_t lease);

    // Watches every key with `prefix` from `from_revision` (0: from now):
    // `on_message` gets each message (events with the revision they bring
    // the watcher to) until it returns false, etcd ends the stream
    // (unavailable; compacted when `from_revision` is no longer kept), or
    // `canceller` is used (canceled).
    boost::asio::awaitable<result<void, errc>> watch_prefix(std::string prefix, int64_t from_revision,
                                                            std::function<bool(const watch_message&)> on_message,
                                                            std::shared_ptr<stream_canceller> canceller);

    const endpoint& current_endpoint() const { return transport_.current(); }
    // Told of every request but watches: its outcome and duration (metrics).
    void observe(transport::observer o) { transport_.observe(std::move(o)); }

private:
    transport transport_;
};

} // namespace strata::cluster::etcd
