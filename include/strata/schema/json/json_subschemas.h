#pragma once
// Where the schemas inside a schema are. A schema object's members are
// keywords, except in the maps of schemas ("properties", "patternProperties",
// "definitions", "$defs", "dependencies") whose keys are property or
// definition names: a property called "pattern" or "default" is no keyword.
// The values of "enum", "const", "default" and "examples" are data. Anything
// else that is an object or an array may hold schemas ($ref can point into
// unknown keywords too). Used by the passes that rewrite or inspect a schema
// before valijson compiles it.

#include <string>
#include <string_view>
#include <type_traits>

#include <boost/json/value.hpp>

#include "strata/schema/json/json_uri.h"

namespace strata::schema {

inline bool is_data_keyword(std::string_view key) {
    return key == "enum" || key == "const" || key == "default" || key == "examples";
}

inline bool is_schema_map_keyword(std::string_view key) {
    return key == "properties" || key == "patternProperties" || key == "definitions" || key == "$defs" ||
           key == "dependencies";
}

// Calls visit(value, pointer) for every value directly below the schema
// object `schema` (at `pointer`) that may be a schema or a list of schemas;
// `visit` returns a result<void, std::string>, and the first failure stops.
template<class Object, class Visit>
auto for_each_subschema(Object& schema, const std::string& pointer, Visit visit) -> decltype(visit(
    std::declval<decltype((schema.begin()->value()))>(), pointer)) {
    for (auto& member : schema) {
        std::string_view key = member.key();
        if (is_data_keyword(key)) continue;
        std::string at = pointer + "/" + pointer_token(key);
        if (is_schema_map_keyword(key) && member.value().is_object()) {
            for (auto& entry : member.value().as_object()) {
                if (auto r = visit(entry.value(), at + "/" + pointer_token(entry.key())); !r) return r;
            }
        } else if (member.value().is_object() || member.value().is_array()) {
            if (auto r = visit(member.value(), at); !r) return r;
        }
    }
    return {};
}

} // namespace strata::schema
