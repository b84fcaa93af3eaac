#include "strata/schema/json/json_schema_node.h"

#include <cmath>

#include "strata/schema/json/json_canonical.h"
#include "strata/schema/json/json_uri.h"

namespace strata::schema {
namespace {

using boost::json::object;
using boost::json::value;

// A reference's document among the schema's references: by exact name, else
// the only name sharing its path tail (as the format resolves them).
const value* referenced_document(const json_schema& schema, std::string_view uri) {
    const auto& dependencies = schema.dependencies();
    if (auto it = dependencies.find(std::string(uri)); it != dependencies.end()) return &it->second;
    const value* found = nullptr;
    for (const auto& [name, document] : dependencies) {
        if (!same_path_tail(name, uri)) continue;
        if (found) return nullptr;
        found = &document;
    }
    return found;
}

json_types type_of_name(std::string_view name) {
    if (name == "null") return json_type::null;
    if (name == "boolean") return json_type::boolean;
    if (name == "object") return json_type::object;
    if (name == "array") return json_type::array;
    if (name == "number") return json_type::number;
    if (name == "integer") return json_type::integer;
    if (name == "string") return json_type::string;
    return 0;
}

json_types type_of_value(const value& v) {
    switch (v.kind()) {
    case boost::json::kind::null: return json_type::null;
    case boost::json::kind::bool_: return json_type::boolean;
    case boost::json::kind::object: return json_type::object;
    case boost::json::kind::array: return json_type::array;
    case boost::json::kind::string: return json_type::string;
    case boost::json::kind::double_: {
        double d = v.get_double();
        return std::floor(d) == d ? json_type::integer : json_type::number;
    }
    default: return json_type::integer;
    }
}

} // namespace

schema_node schema_node::resolved() const {
    schema_node at = *this;
    for (int hops = 0; hops < 32 && at.value; ++hops) {
        const auto* o = at.value->if_object();
        const auto* ref = o ? o->if_contains("$ref") : nullptr;
        if (!ref || !ref->is_string()) return at;
        std::string_view text = ref->get_string();
        size_t hash = text.find('#');
        std::string_view uri = text.substr(0, hash), fragment = hash == text.npos ? "" : text.substr(hash + 1);
        if (!uri.empty()) at.root = referenced_document(*schema, uri);
        if (!at.root) return {};
        boost::system::error_code ec;
        at.value = fragment.empty() ? at.root : at.root->find_pointer(fragment, ec);
    }
    return {};  // still a $ref after 32 hops
}

json_types declared_types(const object& schema) {
    const auto* type = schema.if_contains("type");
    if (!type) return json_type::all;
    if (type->is_string()) return type_of_name(type->get_string());
    json_types out = 0;
    if (const auto* list = type->if_array()) {
        for (const auto& t : *list) {
            if (t.is_string()) out |= type_of_name(t.get_string());
        }
    }
    return out;
}

json_types written_types(const object& schema) {
    if (const auto* c = schema.if_contains("const")) return type_of_value(*c);
    if (const auto* e = schema.if_contains("enum"); e && e->is_array()) {
        json_types out = 0;
        for (const auto& v : e->get_array()) out |= type_of_value(v);
        return out;
    }
    return declared_types(schema);
}

json_types accepted(json_types declared) {
    return declared & json_type::number ? declared | json_type::integer : declared;
}

std::string type_names(json_types types) {
    std::string out;
    for (std::string_view name : {"null", "boolean", "object", "array", "number", "integer", "string"}) {
        if (!(types & type_of_name(name))) continue;
        if (!out.empty()) out += ", ";
        out += name;
    }
    return out;
}

std::optional<std::set<std::string>> allowed_values(const object& schema) {
    if (const auto* c = schema.if_contains("const")) return std::set<std::string>{canonical_json(*c)};
    const auto* e = schema.if_contains("enum");
    if (!e || !e->is_array()) return std::nullopt;
    std::set<std::string> out;
    for (const auto& v : e->get_array()) out.insert(canonical_json(v));
    return out;
}

std::optional<double> number_at(const object& schema, std::string_view keyword) {
    const auto* v = schema.if_contains(keyword);
    if (!v || !v->is_number()) return std::nullopt;
    return v->to_number<double>();
}

namespace {

std::optional<json_bound> bound(const object& schema, json_draft draft, std::string_view inclusive,
                                std::string_view exclusive, bool upper) {
    auto plain = number_at(schema, inclusive);
    if (draft == json_draft::draft4) {
        if (!plain) return std::nullopt;
        const auto* flag = schema.if_contains(exclusive);
        return json_bound{*plain, flag && flag->is_bool() && flag->get_bool()};
    }
    auto strict = number_at(schema, exclusive);
    if (!strict) return plain ? std::optional<json_bound>(json_bound{*plain, false}) : std::nullopt;
    if (!plain) return json_bound{*strict, true};
    bool strict_is_tighter = upper ? *strict <= *plain : *strict >= *plain;
    return strict_is_tighter ? json_bound{*strict, true} : json_bound{*plain, false};
}

} // namespace

std::optional<json_bound> upper_bound(const object& schema, json_draft draft) {
    return bound(schema, draft, "maximum", "exclusiveMaximum", true);
}

std::optional<json_bound> lower_bound(const object& schema, json_draft draft) {
    return bound(schema, draft, "minimum", "exclusiveMinimum", false);
}

} // namespace strata::schema
