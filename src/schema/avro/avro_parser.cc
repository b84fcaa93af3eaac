#include "avro_parser.h"

#include <algorithm>
#include <array>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "avro_defaults.h"
#include "avro_logical_type.h"

namespace strata::schema::avro {

namespace json = boost::json;

namespace {

// Attributes with a meaning in the spec; anything else on a type object is a
// user property, kept (as Java Avro keeps it) but not interpreted.
constexpr std::array type_reserved{"aliases", "doc", "fields", "items", "name",
                                   "namespace", "size", "symbols", "type", "values"};
constexpr std::array field_reserved{"aliases", "default", "doc", "name", "order", "type"};

template<size_t N>
bool reserved(const std::array<const char*, N>& keys, std::string_view key) {
    return std::any_of(keys.begin(), keys.end(), [&](const char* k) { return key == k; });
}

template<size_t N>
json::object user_props(const json::object& o, const std::array<const char*, N>& keys, bool is_enum) {
    json::object props;
    for (const auto& kv : o)
        if (!reserved(keys, kv.key()) && !(is_enum && kv.key() == "default"))
            props.emplace(kv.key(), kv.value());
    return props;
}

std::string qualify(std::string_view name, const std::string& ns) {
    if (name.find('.') != std::string_view::npos || ns.empty()) return std::string(name);
    return ns + "." + std::string(name);
}

// Java Avro 1.11 (what Confluent runs) checks the last component of a full
// name only, so "com.my-company.User" registers there; so it does here.
bool valid_full_name(std::string_view full) {
    auto dot = full.rfind('.');
    return valid_avro_name(dot == std::string_view::npos ? full : full.substr(dot + 1));
}

std::string json_text(const json::value& v) { return json::serialize(v); }

// Least fixpoint: a record is zero-size when all its fields are; a record
// reaching itself is never marked, which is the safe answer.
void mark_zero_size(avro_node_store& store, size_t from) {
    bool changed = true;
    while (changed) {
        changed = false;
        for (size_t i = from; i < store.size(); ++i) {
            avro_node& n = store[i];
            if (n.zero_size) continue;
            bool zero = n.kind == avro_kind::null_type || (n.kind == avro_kind::fixed && n.size == 0) ||
                        (n.kind == avro_kind::record &&
                         std::all_of(n.fields.begin(), n.fields.end(),
                                     [](const avro_field& f) { return f.type->zero_size; }));
            if (zero) n.zero_size = changed = true;
        }
    }
}

} // namespace

bool valid_avro_name(std::string_view name) {
    if (name.empty()) return false;
    auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
    if (!alpha(name[0])) return false;
    return std::all_of(name.begin() + 1, name.end(), [&](char c) { return alpha(c) || (c >= '0' && c <= '9'); });
}

const avro_node* avro_parser::parse(std::string_view text, bool from_reference) {
    from_reference_ = from_reference;
    error_.clear();
    size_t store_size = store_.size();
    size_t names_count = defined_.size();
    json::parse_options opts;
    opts.max_depth = 256;
    boost::system::error_code ec;
    json::value doc = json::parse(text, ec, {}, opts);
    if (ec) {
        fail("Invalid schema JSON: " + ec.message());
        return nullptr;
    }
    avro_node* root = parse_type(doc, "");
    if (root) {
        if (auto bad = check_defaults(store_, store_size)) {
            fail(*bad);
            root = nullptr;
        }
    }
    if (!root) {
        rollback(store_size, names_count);
        return nullptr;
    }
    mark_zero_size(store_, store_size);
    return root;
}

void avro_parser::rollback(size_t store_size, size_t names_count) {
    while (defined_.size() > names_count) {
        names_.erase(defined_.back());
        defined_.pop_back();
    }
    store_.resize(store_size);
}

bool avro_parser::fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
}

avro_node& avro_parser::new_node(avro_kind kind) {
    avro_node& n = store_.emplace_back();
    n.kind = kind;
    n.from_reference = from_reference_;
    return n;
}

avro_node* avro_parser::parse_type(const json::value& v, const std::string& ns) {
    if (v.is_string()) {
        std::string_view name = v.get_string();
        if (auto k = primitive_kind(name)) return &new_node(*k);
        if (avro_node* n = resolve_name(name, ns)) return n;
        fail("Undefined name: \"" + std::string(name) + "\"");
        return nullptr;
    }
    if (v.is_object()) return parse_object(v.get_object(), ns);
    if (v.is_array()) return parse_union(v.get_array(), ns);
    fail("Schema is not a type name, an object or a union: " + json_text(v));
    return nullptr;
}

avro_node* avro_parser::resolve_name(std::string_view name, const std::string& ns) {
    // Relative to the enclosing namespace first, then (as Java Avro does) the
    // null namespace.
    if (auto it = names_.find(qualify(name, ns)); it != names_.end()) return it->second;
    if (auto it = names_.find(std::string(name)); it != names_.end()) return it->second;
    return nullptr;
}

avro_node* avro_parser::parse_object(const json::object& o, const std::string& ns) {
    auto t = o.find("type");
    if (t == o.end() || !t->value().is_string()) {
        fail("No type (a string) in schema object: " + json_text(o));
        return nullptr;
    }
    std::string_view type = t->value().get_string();
    if (auto k = primitive_kind(type)) {
        avro_node& n = new_node(*k);
        n.props = user_props(o, type_reserved, false);
        n.logical = detect_logical_type(n);
        return &n;
    }
    if (type == "record" || type == "error") {
        avro_node* n = define(avro_kind::record, o, ns);
        if (!n) return nullptr;
        n->is_error = type == "error";
        return parse_fields(*n, o) ? n : nullptr;
    }
    if (type == "enum") {
        avro_node* n = define(avro_kind::enumeration, o, ns);
        return n && parse_enum(*n, o) ? n : nullptr;
    }
    if (type == "fixed") {
        avro_node* n = define(avro_kind::fixed, o, ns);
        return n && parse_fixed(*n, o) ? n : nullptr;
    }
    if (type == "array" || type == "map") {
        const char* key = type == "array" ? "items" : "values";
        auto it = o.find(key);
        if (it == o.end()) {
            fail(std::string(type) + " has no \"" + key + "\": " + json_text(o));
            return nullptr;
        }
        avro_node* items = parse_type(it->value(), ns);
        if (!items) return nullptr;
        avro_node& n = new_node(type == "array" ? avro_kind::array : avro_kind::map);
        n.items = items;
        n.props = user_props(o, type_reserved, false);
        return &n;
    }
    // {"type": "SomeName"} refers to a named type.
    if (avro_node* n = resolve_name(type, ns)) return n;
    fail("Undefined name: \"" + std::string(type) + "\"");
    return nullptr;
}

avro_node* avro_parser::parse_union(const json::array& a, const std::string& ns) {
    std::vector<const avro_node*> branches;
    for (const auto& item : a) {
        if (item.is_array()) {
            fail("Nested union: " + json_text(a));
            return nullptr;
        }
        avro_node* b = parse_type(item, ns);
        if (!b) return nullptr;
        if (b->kind == avro_kind::union_type) {
            fail("Nested union: " + json_text(a));
            return nullptr;
        }
        for (const avro_node* other : branches) {
            bool same = other->kind == b->kind && (!b->is_named() || other->full_name == b->full_name);
            if (same) {
                fail("Duplicate in union: " + std::string(b->is_named() ? b->full_name : kind_name(b->kind)));
                return nullptr;
            }
        }
        branches.push_back(b);
    }
    avro_node& n = new_node(avro_kind::union_type);
    n.branches = std::move(branches);
    return &n;
}

avro_node* avro_parser::define(avro_kind kind, const json::object& o, const std::string& ns) {
    auto name_it = o.find("name");
    if (name_it == o.end() || !name_it->value().is_string()) {
        fail("No name in schema: " + json_text(o));
        return nullptr;
    }
    std::string_view name = name_it->value().get_string();
    std::string space = ns;
    if (auto it = o.find("namespace"); it != o.end() && !it->value().is_null()) {
        if (!it->value().is_string()) {
            fail("namespace is not a string: " + json_text(o));
            return nullptr;
        }
        space = std::string(it->value().get_string());
    }
    std::string full;
    if (auto dot = name.rfind('.'); dot != std::string_view::npos) {
        full = std::string(name);
        space = std::string(name.substr(0, dot));
    } else {
        full = space.empty() ? std::string(name) : space + "." + std::string(name);
    }
    if (!valid_full_name(full)) {
        fail("Illegal name: \"" + full + "\"");
        return nullptr;
    }
    if (primitive_kind(full)) {
        fail("Illegal name: \"" + full + "\" is a primitive type");
        return nullptr;
    }
    if (names_.count(full)) {
        fail("Can't redefine: " + full);
        return nullptr;
    }
    avro_node& n = new_node(kind);
    n.full_name = full;
    n.name_space = space;
    if (!parse_doc(o, n.doc) || !parse_aliases(o, space, n.aliases)) return nullptr;
    n.props = user_props(o, type_reserved, kind == avro_kind::enumeration);
    names_.emplace(full, &n);
    defined_.push_back(full);
    return &n;
}

bool avro_parser::parse_doc(const json::object& o, std::optional<std::string>& out) {
    auto it = o.find("doc");
    if (it == o.end() || it->value().is_null()) return true;
    if (!it->value().is_string()) return fail("doc is not a string: " + json_text(o));
    out = std::string(it->value().get_string());
    return true;
}

bool avro_parser::parse_aliases(const json::object& o, const std::string& ns, std::vector<std::string>& out) {
    auto it = o.find("aliases");
    if (it == o.end() || it->value().is_null()) return true;
    if (!it->value().is_array()) return fail("aliases is not an array of names: " + json_text(o));
    for (const auto& a : it->value().get_array()) {
        if (!a.is_string()) return fail("aliases is not an array of names: " + json_text(o));
        std::string full = qualify(a.get_string(), ns);
        if (!valid_full_name(full)) return fail("Illegal alias: \"" + full + "\"");
        out.push_back(std::move(full));
    }
    return true;
}

bool avro_parser::parse_fields(avro_node& record, const json::object& o) {
    auto it = o.find("fields");
    if (it == o.end() || !it->value().is_array())
        return fail("Record has no fields array: " + json_text(o));
    for (const auto& f : it->value().get_array())
        if (!parse_field(record, f)) return false;
    return true;
}

bool avro_parser::parse_field(avro_node& record, const json::value& v) {
    if (!v.is_object()) return fail("Field is not an object in record " + record.full_name);
    const json::object& o = v.get_object();
    auto name_it = o.find("name");
    if (name_it == o.end() || !name_it->value().is_string())
        return fail("No field name in record " + record.full_name + ": " + json_text(o));
    std::string name(name_it->value().get_string());
    if (!valid_avro_name(name)) return fail("Illegal field name: \"" + name + "\" in record " + record.full_name);
    for (const auto& existing : record.fields)
        if (existing.name == name) return fail("Duplicate field " + name + " in record " + record.full_name);
    auto type_it = o.find("type");
    if (type_it == o.end()) return fail("No field type: " + json_text(o));
    avro_field field;
    field.name = std::move(name);
    field.type = parse_type(type_it->value(), record.name_space);
    if (!field.type) return false;
    if (auto d = o.find("default"); d != o.end()) field.default_value = d->value();
    if (auto ord = o.find("order"); ord != o.end()) {
        std::string_view s = ord->value().is_string() ? std::string_view(ord->value().get_string()) : "";
        if (s == "ascending") field.order = field_order::ascending;
        else if (s == "descending") field.order = field_order::descending;
        else if (s == "ignore") field.order = field_order::ignore;
        else return fail("Illegal order of field " + field.name + ": " + json_text(ord->value()));
    }
    // Field aliases are plain names, not namespaced.
    if (auto al = o.find("aliases"); al != o.end() && !al->value().is_null()) {
        if (!al->value().is_array()) return fail("aliases is not an array of names: " + json_text(o));
        for (const auto& a : al->value().get_array()) {
            if (!a.is_string() || !valid_avro_name(a.get_string()))
                return fail("Illegal field alias: " + json_text(a) + " of field " + field.name);
            field.aliases.emplace_back(a.get_string());
        }
    }
    if (!parse_doc(o, field.doc)) return false;
    field.props = user_props(o, field_reserved, false);
    record.fields.push_back(std::move(field));
    return true;
}

bool avro_parser::parse_enum(avro_node& e, const json::object& o) {
    auto it = o.find("symbols");
    if (it == o.end() || !it->value().is_array()) return fail("Enum has no symbols array: " + json_text(o));
    for (const auto& s : it->value().get_array()) {
        if (!s.is_string() || !valid_avro_name(s.get_string()))
            return fail("Illegal enum symbol: " + json_text(s) + " in " + e.full_name);
        std::string sym(s.get_string());
        if (std::find(e.symbols.begin(), e.symbols.end(), sym) != e.symbols.end())
            return fail("Duplicate enum symbol: " + sym + " in " + e.full_name);
        e.symbols.push_back(std::move(sym));
    }
    if (auto d = o.find("default"); d != o.end() && !d->value().is_null()) {
        if (!d->value().is_string() ||
            std::find(e.symbols.begin(), e.symbols.end(), d->value().get_string()) == e.symbols.end())
            return fail("The Enum Default: " + json_text(d->value()) + " is not in the enum symbol set of " +
                        e.full_name);
        e.enum_default = std::string(d->value().get_string());
    }
    return true;
}

bool avro_parser::parse_fixed(avro_node& f, const json::object& o) {
    auto it = o.find("size");
    if (it == o.end()) return fail("Fixed " + f.full_name + " has no size");
    const json::value& size = it->value();
    if (!size.is_int64() || size.get_int64() < 0 || size.get_int64() > INT32_MAX)
        return fail("Invalid fixed size of " + f.full_name + ": " + json_text(size));
    f.size = uint32_t(size.get_int64());
    f.logical = detect_logical_type(f);
    return true;
}

} // namespace strata::schema::avro
