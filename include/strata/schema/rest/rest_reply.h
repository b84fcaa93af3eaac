#pragma once
// The JSON the registry's REST API reads and writes, shaped as Confluent
// Schema Registry's: error bodies {"error_code","message"}, schema bodies
// {"schema","schemaType","references"}, version numbers or "latest" in paths.
// Pure helpers for the route files; broker thread.

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "strata/base/result.h"
#include "strata/net/http_server.h"
#include "strata/schema/registry_error.h"
#include "strata/schema/registry_types.h"
#include "strata/schema/rest/rest_request.h"
#include "strata/schema/schema_store.h"

namespace strata::schema {

inline constexpr std::string_view registry_content_type = "application/vnd.schemaregistry.v1+json";

net::http_response json_reply(const boost::json::value& v, unsigned status = 200);
net::http_response error_reply(const registry_error& e);
net::http_response error_reply(registry_errc code, std::string message);
// A schema's text as the body (GET .../schema).
net::http_response text_reply(std::string text);
net::http_response not_found_reply();
net::http_response method_not_allowed_reply();

// The request body as a JSON object (422 when it is not one).
result<boost::json::object, registry_error> body_object(const rest_request& req);
// {"schema", "schemaType" (AVRO when absent), "references"} of a request body.
result<schema_definition, registry_error> definition_from(const boost::json::object& body);
// Adds "schemaType" (unless AVRO), "references" (when any) and "schema".
void add_schema_fields(boost::json::object& out, const schema_definition& def);
// {"subject","version","id",...schema fields}
boost::json::object version_json(std::string_view subject, int32_t version, int32_t id,
                                 const schema_definition& def);

// A version path segment: a number, "latest" or -1. The subject must exist
// (40401), the version too (40402, also when soft-deleted unless asked for).
result<int32_t, registry_error> resolve_version(const schema_store& store, std::string_view subject,
                                                std::string_view spec, bool include_deleted);
// A version segment as a number (-1 for latest), or 42202.
result<int32_t, registry_error> parse_version(std::string_view spec);

} // namespace strata::schema
