#include "avro_canonical_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

namespace strata::schema::avro {

namespace json = boost::json;

std::string avro_canonical_writer::write(const avro_node& root) {
    avro_canonical_writer w;
    w.type(root, "");
    return std::move(w.out_);
}

void avro_canonical_writer::key(std::string_view k) {
    if (out_.back() != '{') out_ += ',';
    string(k);
    out_ += ':';
}

void avro_canonical_writer::string(std::string_view s) {
    out_ += '"';
    for (char c : s) {
        switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        case '\b': out_ += "\\b"; break;
        case '\f': out_ += "\\f"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                static constexpr char hex[] = "0123456789abcdef";
                out_ += "\\u00";
                out_ += hex[(c >> 4) & 0xf];
                out_ += hex[c & 0xf];
            } else {
                out_ += c;
            }
        }
    }
    out_ += '"';
}

void avro_canonical_writer::strings(const std::vector<std::string>& list) {
    out_ += '[';
    for (size_t i = 0; i < list.size(); ++i) {
        if (i) out_ += ',';
        string(list[i]);
    }
    out_ += ']';
}

void avro_canonical_writer::value(const json::value& v) {
    char buf[64];
    switch (v.kind()) {
    case json::kind::null: out_ += "null"; break;
    case json::kind::bool_: out_ += v.get_bool() ? "true" : "false"; break;
    case json::kind::int64: out_.append(buf, std::to_chars(buf, buf + sizeof buf, v.get_int64()).ptr); break;
    case json::kind::uint64: out_.append(buf, std::to_chars(buf, buf + sizeof buf, v.get_uint64()).ptr); break;
    case json::kind::double_: {
        // Shortest round-trip digits; "2.0" rather than "2" keeps it a double.
        std::string_view d(buf, std::to_chars(buf, buf + sizeof buf, v.get_double()).ptr - buf);
        out_ += d;
        if (d.find_first_of(".eE") == std::string_view::npos) out_ += ".0";
        break;
    }
    case json::kind::string: string(v.get_string()); break;
    case json::kind::array: {
        out_ += '[';
        bool first = true;
        for (const auto& e : v.get_array()) {
            if (!first) out_ += ',';
            first = false;
            value(e);
        }
        out_ += ']';
        break;
    }
    case json::kind::object:
        out_ += '{';
        props(v.get_object());
        out_ += '}';
        break;
    }
}

// Members sorted by key, appended to an open object.
void avro_canonical_writer::props(const json::object& p) {
    std::vector<const json::key_value_pair*> sorted;
    for (const auto& kv : p) sorted.push_back(&kv);
    std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->key() < b->key(); });
    for (const auto* kv : sorted) {
        key(kv->key());
        value(kv->value());
    }
}

void avro_canonical_writer::named_header(const avro_node& n, const std::string& ns) {
    key("name");
    string(n.full_name);
    if (n.name_space.empty() && !ns.empty()) {
        key("namespace");
        string("");
    }
    if (n.doc) {
        key("doc");
        string(*n.doc);
    }
    if (!n.aliases.empty()) {
        key("aliases");
        strings(n.aliases);
    }
}

void avro_canonical_writer::type(const avro_node& n, const std::string& ns) {
    if (n.is_named() && (n.from_reference || written_.count(&n))) {
        string(n.full_name);
        return;
    }
    if (n.is_named()) written_.insert(&n);
    switch (n.kind) {
    case avro_kind::union_type:
        out_ += '[';
        for (size_t i = 0; i < n.branches.size(); ++i) {
            if (i) out_ += ',';
            type(*n.branches[i], ns);
        }
        out_ += ']';
        return;
    case avro_kind::record:
    case avro_kind::enumeration:
    case avro_kind::fixed:
    case avro_kind::array:
    case avro_kind::map:
        break;
    default:
        if (n.props.empty()) {
            string(kind_name(n.kind));
            return;
        }
    }
    out_ += '{';
    key("type");
    string(n.is_error ? "error" : kind_name(n.kind));
    if (n.is_named()) named_header(n, ns);
    switch (n.kind) {
    case avro_kind::record:
        key("fields");
        out_ += '[';
        for (size_t i = 0; i < n.fields.size(); ++i) {
            if (i) out_ += ',';
            field(n.fields[i], n.name_space);
        }
        out_ += ']';
        break;
    case avro_kind::enumeration:
        key("symbols");
        strings(n.symbols);
        if (n.enum_default) {
            key("default");
            string(*n.enum_default);
        }
        break;
    case avro_kind::fixed:
        key("size");
        out_ += std::to_string(n.size);
        break;
    case avro_kind::array:
    case avro_kind::map:
        key(n.kind == avro_kind::array ? "items" : "values");
        type(*n.items, ns);
        break;
    default: break;
    }
    props(n.props);
    out_ += '}';
}

void avro_canonical_writer::field(const avro_field& f, const std::string& ns) {
    out_ += '{';
    key("name");
    string(f.name);
    key("type");
    type(*f.type, ns);
    if (f.doc) {
        key("doc");
        string(*f.doc);
    }
    if (f.default_value) {
        key("default");
        value(*f.default_value);
    }
    if (f.order != field_order::ascending) {
        key("order");
        string(f.order == field_order::descending ? "descending" : "ignore");
    }
    if (!f.aliases.empty()) {
        key("aliases");
        strings(f.aliases);
    }
    props(f.props);
    out_ += '}';
}

} // namespace strata::schema::avro
