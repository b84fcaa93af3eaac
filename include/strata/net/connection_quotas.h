#pragma once
// The connections the broker holds, counted across all Kafka listeners as
// Kafka's ConnectionQuotas does: in all (for max.connections, which the
// listeners enforce by pausing their accepts) and per client address
// (max.connections.per.ip, with max.connections.per.ip.overrides
// ("host:count,host:count") replacing it for the addresses named there). A
// connection over its address's limit is closed at once. Host names are
// resolved once, at start-up, as Kafka does. Owned by the application; used
// by every tcp_server on the broker's io_context thread.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>

namespace strata::net {

class connection_quotas {
public:
    // `overrides` are keyed by address_key().
    explicit connection_quotas(uint32_t per_ip = UINT32_MAX, std::unordered_map<std::string, uint32_t> overrides = {})
        : per_ip_(per_ip), overrides_(std::move(overrides)) {}

    // The configured overrides with every host resolved to its addresses;
    // throws std::runtime_error naming a host that does not resolve.
    static connection_quotas resolve(boost::asio::io_context& io, uint32_t per_ip,
                                     const std::vector<std::pair<std::string, uint32_t>>& overrides);

    // One key per client address: an IPv4 address reached over IPv6
    // (::ffff:a.b.c.d) counts as the IPv4 one.
    static std::string address_key(const boost::asio::ip::address& a);

    uint32_t limit_for(const std::string& key) const;
    // Takes a slot for `key`; false (nothing taken) when it is at its limit.
    bool try_acquire(const std::string& key);
    // Gives the slot back and wakes every listener waiting for one.
    void release(const std::string& key);
    uint32_t count(const std::string& key) const;
    // Connections held across all listeners.
    uint32_t total() const { return total_; }

    // A listener paused at max.connections waits on `timer`; release()
    // cancels it, whichever listener's connection closed.
    void watch(boost::asio::steady_timer& timer) { watchers_.push_back(&timer); }
    void unwatch(boost::asio::steady_timer& timer) { std::erase(watchers_, &timer); }

private:
    uint32_t per_ip_;
    std::unordered_map<std::string, uint32_t> overrides_;
    std::unordered_map<std::string, uint32_t> counts_;
    uint32_t total_ = 0;
    std::vector<boost::asio::steady_timer*> watchers_;
};

} // namespace strata::net
