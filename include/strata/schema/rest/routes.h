#pragma once
// The registry's REST resources, one file each: the front door
// (registry_api) picks one by the first path segment and hands over the
// request. Each answers Confluent Schema Registry's paths under its segment,
// with its error codes. Broker thread.

#include <boost/asio/awaitable.hpp>

#include "strata/net/http_server.h"
#include "strata/schema/rest/rest_request.h"
#include "strata/schema/schema_registry.h"

namespace strata::schema {

// /subjects, /subjects/{s} (lookup, delete)
boost::asio::awaitable<net::http_response> subject_routes(schema_registry& reg, const rest_request& req);
// /subjects/{s}/versions[/{v}[/schema|/referencedby]]
boost::asio::awaitable<net::http_response> subject_version_routes(schema_registry& reg, const rest_request& req);
// /schemas, /schemas/types, /schemas/ids/{id}[/schema|/versions|/subjects]
net::http_response schema_routes(const schema_registry& reg, const rest_request& req);
// /config[/{s}]
boost::asio::awaitable<net::http_response> config_routes(schema_registry& reg, const rest_request& req);
// /mode[/{s}]
boost::asio::awaitable<net::http_response> mode_routes(schema_registry& reg, const rest_request& req);
// /compatibility/subjects/{s}/versions[/{v}]
net::http_response compatibility_routes(const schema_registry& reg, const rest_request& req);

} // namespace strata::schema
