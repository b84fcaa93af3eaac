#include "avro_defaults.h"

#include <algorithm>
#include <cstdlib>
#include <string>

#include <boost/json/serialize.hpp>

namespace strata::schema::avro {

namespace json = boost::json;

namespace {

// Java reads a float/double default given as a string with Double.valueOf,
// so "NaN", "Infinity" and "1.5" are accepted.
bool numeric_text(std::string_view s) {
    if (s == "NaN" || s == "Infinity" || s == "-Infinity" || s == "+Infinity") return true;
    if (s.empty()) return false;
    std::string copy(s);
    char* end = nullptr;
    std::strtod(copy.c_str(), &end);
    return end == copy.c_str() + copy.size();
}

// A record field's own default stands in for a missing member, and that
// default may be of the record's own type: the depth bound stops a default
// that contains itself.
constexpr int max_default_depth = 256;

bool valid(const avro_node& type, const json::value& v, int depth = 0) {
    if (++depth > max_default_depth) return false;
    switch (type.kind) {
    case avro_kind::null_type: return v.is_null();
    case avro_kind::boolean: return v.is_bool();
    case avro_kind::int_type:
        return v.is_int64() && v.get_int64() >= INT32_MIN && v.get_int64() <= INT32_MAX;
    case avro_kind::long_type: return v.is_int64();
    case avro_kind::float_type:
    case avro_kind::double_type:
        return v.is_number() || (v.is_string() && numeric_text(v.get_string()));
    // Java checks only that these are strings (not the enum symbol or the
    // fixed length); so do we, or schemas Confluent accepts would be refused.
    case avro_kind::bytes:
    case avro_kind::string:
    case avro_kind::enumeration:
    case avro_kind::fixed: return v.is_string();
    case avro_kind::array:
        return v.is_array() && std::all_of(v.get_array().begin(), v.get_array().end(),
                                           [&](const json::value& e) { return valid(*type.items, e, depth); });
    case avro_kind::map:
        return v.is_object() && std::all_of(v.get_object().begin(), v.get_object().end(),
                                            [&](const auto& kv) { return valid(*type.items, kv.value(), depth); });
    case avro_kind::union_type: return !type.branches.empty() && valid(*type.branches.front(), v, depth);
    case avro_kind::record:
        if (!v.is_object()) return false;
        for (const avro_field& f : type.fields) {
            if (auto it = v.get_object().find(f.name); it != v.get_object().end()) {
                if (!valid(*f.type, it->value(), depth)) return false;
            } else if (!f.default_value || !valid(*f.type, *f.default_value, depth)) {
                return false;
            }
        }
        return true;
    }
    return false;
}

std::string type_label(const avro_node& t) {
    if (t.is_named()) return std::string(kind_name(t.kind)) + " " + t.full_name;
    if (t.kind == avro_kind::union_type && !t.branches.empty())
        return "union whose first branch is " + type_label(*t.branches.front());
    return std::string(kind_name(t.kind));
}

} // namespace

bool valid_default(const avro_node& type, const json::value& v) { return valid(type, v); }

std::optional<std::string> check_defaults(const avro_node_store& store, size_t from) {
    for (size_t i = from; i < store.size(); ++i) {
        const avro_node& n = store[i];
        if (n.kind != avro_kind::record) continue;
        for (const avro_field& f : n.fields)
            if (f.default_value && !valid(*f.type, *f.default_value))
                return "Invalid default for field " + f.name + ": " + json::serialize(*f.default_value) +
                       " not a " + type_label(*f.type);
    }
    return std::nullopt;
}

} // namespace strata::schema::avro
