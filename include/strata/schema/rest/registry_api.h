#pragma once
// The front door of the registry's REST API (Confluent Schema Registry's):
// parses the request, picks the resource's routes (rest/routes.h) and turns
// anything unexpected into Confluent's error body. Served by a net::http_server
// on schema.registry.listeners. Owned by the broker; broker thread.

#include <boost/asio/awaitable.hpp>

#include "strata/net/http_server.h"
#include "strata/schema/rest/registry_forwarder.h"
#include "strata/schema/schema_registry.h"

namespace strata::schema {

class registry_api {
public:
    // `forwarder` routes requests in a cluster; null on a single broker.
    explicit registry_api(schema_registry& reg, registry_forwarder* forwarder = nullptr)
        : reg_(reg), forwarder_(forwarder) {}

    boost::asio::awaitable<net::http_response> handle(net::http_request req);

private:
    boost::asio::awaitable<net::http_response> dispatch(net::http_request req);

    schema_registry& reg_;
    registry_forwarder* forwarder_;
};

} // namespace strata::schema
