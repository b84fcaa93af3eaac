#include "strata/net/connection_quotas.h"

#include <stdexcept>

#include <boost/asio/ip/tcp.hpp>

namespace strata::net {

namespace asio = boost::asio;

connection_quotas connection_quotas::resolve(asio::io_context& io, uint32_t per_ip,
                                             const std::vector<std::pair<std::string, uint32_t>>& overrides) {
    std::unordered_map<std::string, uint32_t> by_address;
    asio::ip::tcp::resolver resolver(io);
    for (const auto& [host, limit] : overrides) {
        boost::system::error_code ec;
        auto found = resolver.resolve(host, "", ec);
        if (ec || found.empty())
            throw std::runtime_error("max.connections.per.ip.overrides: cannot resolve '" + host +
                                     "': " + ec.message());
        // Every address of a name gets its limit, so a client is held to it
        // whichever of them it connects from.
        for (const auto& entry : found) by_address[address_key(entry.endpoint().address())] = limit;
    }
    return connection_quotas(per_ip, std::move(by_address));
}

std::string connection_quotas::address_key(const asio::ip::address& a) {
    if (a.is_v6() && a.to_v6().is_v4_mapped())
        return asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6()).to_string();
    return a.to_string();
}

uint32_t connection_quotas::limit_for(const std::string& key) const {
    auto it = overrides_.find(key);
    return it == overrides_.end() ? per_ip_ : it->second;
}

bool connection_quotas::try_acquire(const std::string& key) {
    auto& n = counts_[key];
    if (n >= limit_for(key)) {
        if (n == 0) counts_.erase(key);
        return false;
    }
    ++n;
    ++total_;
    return true;
}

void connection_quotas::release(const std::string& key) {
    if (auto it = counts_.find(key); it != counts_.end()) {
        if (--it->second == 0) counts_.erase(it);
        --total_;
    }
    for (auto* timer : watchers_) timer->cancel();
}

uint32_t connection_quotas::count(const std::string& key) const {
    auto it = counts_.find(key);
    return it == counts_.end() ? 0 : it->second;
}

} // namespace strata::net
