#pragma once
// The registry in a cluster: writes are taken by the broker that leads
// _schemas (the primary, as in Confluent's registry), so a write that reaches
// another broker is forwarded to the primary's REST API and its answer
// returned unchanged, once this broker's own state has the write (a client
// reads its writes from any broker it wrote through). Reads are answered by
// every broker with a replica of _schemas, the primary for the others. While
// no broker leads _schemas, writes wait for one (within the timeout), then
// fail with Confluent's 50003. Broker thread.

#include <chrono>
#include <optional>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "strata/cluster/broker_directory.h"
#include "strata/net/http_server.h"
#include "strata/schema/schema_registry.h"

namespace strata::schema {

// Set on a request one broker forwards to another: it is not forwarded again.
inline constexpr std::string_view forwarded_header = "X-Strata-Forwarded";
// Set on every answer: the _schemas offset the answering registry has applied.
inline constexpr std::string_view applied_offset_header = "X-Strata-Registry-Offset";
// The answer of a broker that got a forwarded write but is not the primary
// (any more): the forwarding broker tries again.
inline constexpr unsigned misdirected_status = 421;

class registry_forwarder {
public:
    registry_forwarder(boost::asio::any_io_executor ex, schema_registry& reg, const cluster::broker_directory& brokers,
                       std::chrono::milliseconds timeout)
        : ex_(std::move(ex)), reg_(reg), brokers_(brokers), timeout_(timeout) {}

    // The primary's answer to a request this broker does not serve itself;
    // nothing when it serves it.
    boost::asio::awaitable<std::optional<net::http_response>> route(const net::http_request& req);

private:
    // Where the request is served now: here (nullopt), at a broker (its id),
    // or nowhere yet (-1).
    std::optional<int32_t> server_for(bool write);
    // Until this broker's registry has applied `offset`, or the deadline.
    boost::asio::awaitable<void> await_applied(int64_t offset, std::chrono::steady_clock::time_point deadline);

    boost::asio::any_io_executor ex_;
    schema_registry& reg_;
    const cluster::broker_directory& brokers_;
    std::chrono::milliseconds timeout_;
};

// Whether the request changes the registry (register, delete, config, mode).
bool is_registry_write(const net::http_request& req);

} // namespace strata::schema
