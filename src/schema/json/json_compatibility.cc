#include "strata/schema/json/json_compatibility.h"

#include <cctype>
#include <cmath>
#include <set>

#include "strata/schema/json/json_canonical.h"
#include "strata/schema/json/json_schema_node.h"
#include "strata/schema/json/json_uri.h"

namespace strata::schema {
namespace {

using boost::json::object;
using boost::json::value;

const std::set<std::string_view> annotations = {
    "title",   "description", "$comment", "default",  "examples",         "$schema",        "$id",
    "id",      "definitions", "$defs",    "readOnly", "writeOnly",        "contentEncoding", "contentMediaType"};

// Keywords this checker reasons about; any other must be unchanged.
const std::set<std::string_view> analysed = {
    "type",     "enum",       "const",     "maxLength",        "minLength",        "pattern",
    "maximum",  "minimum",    "exclusiveMaximum", "exclusiveMinimum", "multipleOf", "properties",
    "required", "additionalProperties", "maxProperties", "minProperties", "maxItems", "minItems",
    "uniqueItems", "allOf",   "anyOf",     "oneOf",            "not",              "$ref"};

bool accepts_anything(const value& schema) {
    if (schema.is_bool()) return schema.get_bool();
    const auto* o = schema.if_object();
    if (!o) return false;
    for (const auto& member : *o) {
        if (!annotations.contains(member.key())) return false;
    }
    return true;
}

bool mentions_ref(const value& v) {
    if (const auto* o = v.if_object()) {
        for (const auto& member : *o) {
            if (member.key() == "$ref" || mentions_ref(member.value())) return true;
        }
    } else if (const auto* a = v.if_array()) {
        for (const auto& element : *a) {
            if (mentions_ref(element)) return true;
        }
    }
    return false;
}

// "maxLength" -> "MAX_LENGTH", Confluent's spelling of rule names.
std::string rule_name(std::string_view keyword) {
    std::string out;
    for (char c : keyword) {
        if (c == '$') continue;
        if (std::isupper(static_cast<unsigned char>(c)) && !out.empty()) out += '_';
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

const value empty_schema = boost::json::object();

class checker {
public:
    std::vector<std::string> issues;

    void compare(schema_node reader, schema_node writer, const std::string& path) {
        reader = reader.resolved();
        writer = writer.resolved();
        if (!reader.value) return report("REFERENCE_UNRESOLVED", path, "the reader's $ref names no schema");
        if (!writer.value) return report("REFERENCE_UNRESOLVED", path, "the writer's $ref names no schema");
        if (++steps_ > max_steps) {
            if (steps_ == max_steps + 1) report("TOO_COMPLEX", path, "the schemas are too large to compare");
            return;
        }
        // A pair met again inside its own comparison is assumed compatible: the
        // recursive schemas are compatible if nothing else is found.
        if (!in_progress_.insert({reader.value, writer.value}).second) return;
        struct done {
            checker& c;
            std::pair<const value*, const value*> key;
            ~done() { c.in_progress_.erase(key); }
        } guard{*this, {reader.value, writer.value}};
        if (accepts_anything(*reader.value) || (writer.value->is_bool() && !writer.value->get_bool())) return;
        if (!mentions_ref(*reader.value) && canonical_json(*reader.value) == canonical_json(*writer.value)) return;
        if (reader.value->is_bool()) return report("TYPE_NARROWED", path, "the reader accepts nothing");
        const object& r = reader.value->get_object();
        const object& w = writer.value->is_object() ? writer.value->get_object() : empty_schema.get_object();
        node_pair n{reader, writer, r, w, path};
        if (!types(n)) return;
        enums(n);
        strings(n);
        numbers(n);
        objects(n);
        arrays(n);
        combinators(n);
        unanalysed(n);
    }

private:
    struct node_pair {
        schema_node reader, writer;
        const object& r;
        const object& w;
        const std::string& path;
        schema_node r_at(const value& v) const { return reader.at(v); }
        schema_node w_at(const value& v) const { return writer.at(v); }
    };

    void report(std::string_view rule, const std::string& path, const std::string& detail) {
        issues.push_back(std::string(rule) + " at #" + path + ": " + detail);
    }

    // False when no value the writer allows has a type the reader accepts: the
    // other rules would only repeat that.
    bool types(const node_pair& n) {
        json_types reader = declared_types(n.r), writer = accepted(written_types(n.w));
        json_types missing = writer & ~accepted(reader);
        if (!missing) return true;
        bool disjoint = !(writer & accepted(reader));
        report(disjoint ? "TYPE_CHANGED" : "TYPE_NARROWED", n.path,
               "the reader does not accept " + type_names(missing) + ", which the writer allows");
        return !disjoint;
    }

    void enums(const node_pair& n) {
        auto reader = allowed_values(n.r);
        if (!reader) return;
        auto writer = allowed_values(n.w);
        if (!writer) return report("ENUM_ARRAY_NARROWED", n.path, "the reader allows only listed values, the writer any");
        for (const auto& v : *writer) {
            if (!reader->contains(v)) return report("ENUM_ARRAY_NARROWED", n.path, "the reader does not allow " + v);
        }
    }

    bool writes(const node_pair& n, json_types t) const { return (written_types(n.w) & t) != 0; }

    void strings(const node_pair& n) {
        if (!writes(n, json_type::string)) return;
        at_most(n, "maxLength");
        at_least(n, "minLength");
        if (const auto* pattern = n.r.if_contains("pattern")) {
            const auto* other = n.w.if_contains("pattern");
            if (!other) report("PATTERN_ADDED", n.path + "/pattern", "only the reader has a pattern");
            else if (*other != *pattern) report("PATTERN_CHANGED", n.path + "/pattern", "the patterns differ");
        }
    }

    void numbers(const node_pair& n) {
        if (!writes(n, json_type::number | json_type::integer)) return;
        bound_within(n, upper_bound(n.r, n.reader.schema->draft()), upper_bound(n.w, n.writer.schema->draft()),
                     "MAXIMUM", "DECREASED", [](double w, double r) { return w < r; });
        bound_within(n, lower_bound(n.r, n.reader.schema->draft()), lower_bound(n.w, n.writer.schema->draft()),
                     "MINIMUM", "INCREASED", [](double w, double r) { return w > r; });
        if (auto r = number_at(n.r, "multipleOf")) {
            auto w = number_at(n.w, "multipleOf");
            if (!w) report("MULTIPLE_OF_ADDED", n.path + "/multipleOf", "only the reader has multipleOf");
            else if (std::fmod(*w, *r) != 0) report("MULTIPLE_OF_CHANGED", n.path + "/multipleOf",
                                                    "the writer's multipleOf is not a multiple of the reader's");
        }
    }

    template<class Inside>
    void bound_within(const node_pair& n, std::optional<json_bound> r, std::optional<json_bound> w,
                      std::string_view name, std::string_view tighter, Inside strictly_inside) {
        if (!r) return;
        std::string rule = (r->exclusive ? "EXCLUSIVE_" : "") + std::string(name);
        if (!w) return report(rule + "_ADDED", n.path, "only the reader bounds the number");
        bool inside = strictly_inside(w->value, r->value) || (w->value == r->value && (!r->exclusive || w->exclusive));
        if (!inside) report(rule + "_" + std::string(tighter), n.path, "the reader's bound is tighter");
    }

    // A count bound (maxLength, minItems, ...): the writer's must be at least as tight.
    void count_bound(const node_pair& n, std::string_view keyword, bool upper) {
        auto r = number_at(n.r, keyword);
        if (!r) return;
        auto w = number_at(n.w, keyword);
        std::string path = n.path + "/" + std::string(keyword);
        if (!w) report(rule_name(keyword) + "_ADDED", path, "only the reader has it");
        else if (upper && *w > *r) report(rule_name(keyword) + "_DECREASED", path, "the reader's is smaller");
        else if (!upper && *w < *r) report(rule_name(keyword) + "_INCREASED", path, "the reader's is larger");
    }
    void at_most(const node_pair& n, std::string_view keyword) { count_bound(n, keyword, true); }
    void at_least(const node_pair& n, std::string_view keyword) { count_bound(n, keyword, false); }

    void objects(const node_pair& n);
    void arrays(const node_pair& n);
    void combinators(const node_pair& n);
    void unanalysed(const node_pair& n);
    bool compatible_alone(schema_node reader, schema_node writer);

    static constexpr int max_steps = 100000;
    std::set<std::pair<const value*, const value*>> in_progress_;
    int steps_ = 0;
};


void checker::objects(const node_pair& n) {
    if (!writes(n, json_type::object)) return;
    const auto* r_required = n.r.if_contains("required");
    if (r_required && r_required->is_array()) {
        std::set<std::string_view> writer_required;
        if (const auto* w_required = n.w.if_contains("required"); w_required && w_required->is_array()) {
            for (const auto& name : w_required->get_array()) {
                if (name.is_string()) writer_required.insert(name.get_string());
            }
        }
        for (const auto& name : r_required->get_array()) {
            if (name.is_string() && !writer_required.contains(name.get_string())) {
                report("REQUIRED_ATTRIBUTE_ADDED", n.path + "/required",
                       "the reader requires " + std::string(name.get_string()) + ", the writer does not");
            }
        }
    }
    const object& none = empty_schema.get_object();
    const auto* r_props = n.r.if_contains("properties");
    const auto* w_props = n.w.if_contains("properties");
    const object& rp = r_props && r_props->is_object() ? r_props->get_object() : none;
    const object& wp = w_props && w_props->is_object() ? w_props->get_object() : none;
    const value* r_extra = n.r.if_contains("additionalProperties");
    const value* w_extra = n.w.if_contains("additionalProperties");
    bool writer_closed = w_extra && w_extra->is_bool() && !w_extra->get_bool() && !n.w.contains("patternProperties");
    bool writer_open = !w_extra || n.w.contains("patternProperties") || accepts_anything(*w_extra);
    for (const auto& property : rp) {
        std::string path = n.path + "/properties/" + pointer_token(property.key());
        if (const auto* written = wp.if_contains(property.key())) {
            compare(n.r_at(property.value()), n.w_at(*written), path);
        } else if (writer_closed) {
            continue;
        } else if (writer_open) {
            auto wanted = n.r_at(property.value()).resolved();
            if (!wanted.value || !accepts_anything(*wanted.value)) {
                report("PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", path,
                       "the writer's open content model may hold this property with any value");
            }
        } else {
            compare(n.r_at(property.value()), n.w_at(*w_extra), path);
        }
    }
    bool reader_closed = r_extra && r_extra->is_bool() && !r_extra->get_bool();
    for (const auto& property : wp) {
        if (rp.contains(property.key()) || !r_extra || accepts_anything(*r_extra)) continue;
        std::string path = n.path + "/properties/" + pointer_token(property.key());
        if (property.value().is_bool() && !property.value().get_bool()) continue;
        if (reader_closed) {
            report("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", path,
                   "the reader's closed content model does not allow this property of the writer");
        } else {
            compare(n.r_at(*r_extra), n.w_at(property.value()), path);
        }
    }
    if (r_extra && !accepts_anything(*r_extra) && !writer_closed) {
        std::string path = n.path + "/additionalProperties";
        if (reader_closed) {
            report("ADDITIONAL_PROPERTIES_REMOVED", path, "the reader closes the content model the writer leaves open");
        } else if (writer_open) {
            report("ADDITIONAL_PROPERTIES_NARROWED", path, "the reader constrains properties the writer leaves open");
        } else {
            compare(n.r_at(*r_extra), n.w_at(*w_extra), path);
        }
    }
    at_most(n, "maxProperties");
    at_least(n, "minProperties");
}

void checker::arrays(const node_pair& n) {
    if (!writes(n, json_type::array)) return;
    at_most(n, "maxItems");
    at_least(n, "minItems");
    if (const auto* unique = n.r.if_contains("uniqueItems"); unique && unique->is_bool() && unique->get_bool()) {
        const auto* other = n.w.if_contains("uniqueItems");
        if (!other || !other->is_bool() || !other->get_bool()) {
            report("UNIQUE_ITEMS_ADDED", n.path + "/uniqueItems", "only the reader requires unique items");
        }
    }
    const auto* r_items = n.r.if_contains("items");
    if (!r_items || r_items->is_array()) return;  // tuples: unanalysed, must be unchanged
    std::string path = n.path + "/items";
    const auto* w_items = n.w.if_contains("items");
    if (!w_items) return compare(n.r_at(*r_items), n.w_at(empty_schema), path);
    if (!w_items->is_array()) return compare(n.r_at(*r_items), n.w_at(*w_items), path);
    const auto& tuple = w_items->get_array();
    for (size_t i = 0; i < tuple.size(); ++i) {
        compare(n.r_at(*r_items), n.w_at(tuple[i]), n.path + "/items/" + std::to_string(i));
    }
    const auto* w_rest = n.w.if_contains("additionalItems");
    if (!w_rest) return compare(n.r_at(*r_items), n.w_at(empty_schema), path);
    compare(n.r_at(*r_items), n.w_at(*w_rest), n.path + "/additionalItems");
}

// A trial comparison whose findings are dropped: does `writer` fit `reader`?
bool checker::compatible_alone(schema_node reader, schema_node writer) {
    checker trial;
    trial.in_progress_ = in_progress_;
    trial.steps_ = steps_;
    trial.compare(reader, writer, "");
    steps_ = trial.steps_;
    return trial.issues.empty();
}

// allOf and anyOf: branch by branch (a writer without anyOf must fit one of the
// reader's branches); oneOf: the same branches both ways; not: reversed.
void checker::combinators(const node_pair& n) {
    for (const char* keyword : {"allOf", "anyOf", "oneOf"}) {
        const auto* r_list = n.r.if_contains(keyword);
        if (!r_list || !r_list->is_array()) continue;
        std::string path = n.path + "/" + keyword;
        const auto& reader = r_list->get_array();
        const auto* w_list = n.w.if_contains(keyword);
        if (std::string_view(keyword) == "anyOf" && !w_list) {
            bool fits = false;
            for (const auto& branch : reader) fits = fits || compatible_alone(n.r_at(branch), n.writer);
            if (!fits) report("SUM_TYPE_NARROWED", path, "the writer fits none of the reader's anyOf branches");
            continue;
        }
        if (!w_list || !w_list->is_array() || w_list->get_array().size() != reader.size()) {
            report("COMBINED_TYPE_CHANGED", path, "the writer does not have the same number of branches");
            continue;
        }
        const auto& writer = w_list->get_array();
        for (size_t i = 0; i < reader.size(); ++i) {
            std::string branch = path + "/" + std::to_string(i);
            compare(n.r_at(reader[i]), n.w_at(writer[i]), branch);
            if (std::string_view(keyword) == "oneOf") compare(n.w_at(writer[i]), n.r_at(reader[i]), branch);
        }
    }
    if (const auto* r_not = n.r.if_contains("not")) {
        const auto* w_not = n.w.if_contains("not");
        if (!w_not) return report("NOT_TYPE_NARROWED", n.path + "/not", "only the reader has not");
        compare(n.w_at(*w_not), n.r_at(*r_not), n.path + "/not");
    }
}

void checker::unanalysed(const node_pair& n) {
    for (const auto& member : n.r) {
        std::string_view keyword = member.key();
        if (analysed.contains(keyword) || annotations.contains(keyword)) continue;
        if (keyword == "items" && !member.value().is_array()) continue;
        const auto* other = n.w.if_contains(keyword);
        if (other && !mentions_ref(member.value()) && canonical_json(*other) == canonical_json(member.value())) continue;
        report(rule_name(keyword) + "_CHANGED", n.path + "/" + pointer_token(keyword),
               "not analysed, so it must be the same in both schemas");
    }
}

} // namespace

std::vector<std::string> json_read_incompatibilities(const json_schema& reader, const json_schema& writer) {
    checker c;
    c.compare(schema_node::top(reader), schema_node::top(writer), "");
    return std::move(c.issues);
}

} // namespace strata::schema
