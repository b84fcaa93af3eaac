#pragma once
// Field default checks, as Java Avro's Schema.Parser does with
// validateDefaults (which Confluent's registry turns on for new schemas): a
// default that does not fit its field's type is a parse error. The parser
// calls this on the broker thread once a schema's types are all known.

#include <cstddef>
#include <optional>
#include <string>

#include <boost/json/value.hpp>

#include "avro_node.h"

namespace strata::schema::avro {

// Whether `v` is a valid default for `type` (for a union: its first branch).
bool valid_default(const avro_node& type, const boost::json::value& v);

// Checks the defaults of every record field in store[from..]; the message
// names the first invalid one.
std::optional<std::string> check_defaults(const avro_node_store& store, size_t from);

} // namespace strata::schema::avro
