#pragma once
// A subschema inside a parsed JSON Schema (the value, the document it sits in
// and the schema that owns both) and the facts the compatibility checker
// reads from a schema object: the types it allows, its enumerated values, its
// numeric bounds. Views into a json_schema, which must outlive them.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "strata/schema/json/json_schema.h"

namespace strata::schema {

struct schema_node {
    const boost::json::value* value = nullptr;  // null: a $ref that names nothing
    const boost::json::value* root = nullptr;
    const json_schema* schema = nullptr;

    static schema_node top(const json_schema& s) { return {&s.document(), &s.document(), &s}; }
    // Another value of the same document.
    schema_node at(const boost::json::value& v) const { return {&v, root, schema}; }
    // Follows "$ref" (a fragment of this document, or one of the schema's
    // references by name, then its fragment) until a schema that is no $ref.
    schema_node resolved() const;
};

// JSON types as a bit set; "number" includes integers in what it accepts.
using json_types = unsigned;
namespace json_type {
inline constexpr json_types null = 1, boolean = 2, object = 4, array = 8, number = 16, integer = 32, string = 64;
inline constexpr json_types all = 127;
} // namespace json_type

// What "type" allows (all types without it).
json_types declared_types(const boost::json::object& schema);
// The types of values a writer can produce: those of its "enum"/"const"
// values when it has them, otherwise the declared ones.
json_types written_types(const boost::json::object& schema);
// The types a reader accepts, counting integers under "number".
json_types accepted(json_types declared);
std::string type_names(json_types types);

// The canonical texts of the values "enum" or "const" allows, if either is present.
std::optional<std::set<std::string>> allowed_values(const boost::json::object& schema);

std::optional<double> number_at(const boost::json::object& schema, std::string_view keyword);

struct json_bound {
    double value;
    bool exclusive;
};
// The tightest bound from maximum/exclusiveMaximum (minimum/exclusiveMinimum),
// read as the draft defines them (draft 4: a boolean beside the bound).
std::optional<json_bound> upper_bound(const boost::json::object& schema, json_draft draft);
std::optional<json_bound> lower_bound(const boost::json::object& schema, json_draft draft);

} // namespace strata::schema
