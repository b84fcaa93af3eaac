#include "strata/schema/schema_records.h"

#include <boost/json.hpp>

namespace strata::schema {
namespace json = boost::json;
namespace {

json::value subject_or_null(const std::optional<std::string>& subject) {
    return subject ? json::value(*subject) : json::value(nullptr);
}

std::string key_of(std::string_view keytype, const json::value& subject, std::optional<int32_t> version) {
    json::object key;
    key["keytype"] = keytype;
    key["subject"] = subject;
    if (version) key["version"] = *version;
    key["magic"] = version ? 1 : 0;
    return json::serialize(key);
}

struct encoder {
    encoded_record operator()(const schema_version_record& r) const {
        json::object v;
        v["subject"] = r.subject;
        v["version"] = r.version;
        v["id"] = r.id;
        if (r.definition.type != schema_type::avro) v["schemaType"] = to_string(r.definition.type);
        if (!r.definition.references.empty()) {
            json::array refs;
            for (const auto& ref : r.definition.references)
                refs.push_back(json::object{{"name", ref.name}, {"subject", ref.subject}, {"version", ref.version}});
            v["references"] = std::move(refs);
        }
        v["schema"] = r.definition.text;
        v["deleted"] = r.deleted;
        return {key_of("SCHEMA", json::value(r.subject), r.version), json::serialize(v)};
    }
    encoded_record operator()(const schema_tombstone_record& r) const {
        return {key_of("SCHEMA", json::value(r.subject), r.version), std::nullopt};
    }
    encoded_record operator()(const config_record& r) const {
        std::optional<std::string> value;
        if (r.level) value = json::serialize(json::object{{"compatibilityLevel", to_string(*r.level)}});
        return {key_of("CONFIG", subject_or_null(r.subject), std::nullopt), value};
    }
    encoded_record operator()(const mode_record& r) const {
        std::optional<std::string> value;
        if (r.mode) value = json::serialize(json::object{{"mode", to_string(*r.mode)}});
        return {key_of("MODE", subject_or_null(r.subject), std::nullopt), value};
    }
    encoded_record operator()(const delete_subject_record& r) const {
        return {key_of("DELETE_SUBJECT", json::value(r.subject), std::nullopt),
                json::serialize(json::object{{"subject", r.subject}, {"version", r.version}})};
    }
};

std::optional<json::object> parse_object(std::string_view text) {
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    if (ec || !v.is_object()) return std::nullopt;
    return std::move(v.as_object());
}

std::optional<std::string> string_field(const json::object& o, std::string_view name) {
    auto* v = o.if_contains(name);
    if (!v || !v->is_string()) return std::nullopt;
    return std::string(v->as_string());
}

std::optional<int32_t> int_field(const json::object& o, std::string_view name) {
    auto* v = o.if_contains(name);
    if (!v || !v->is_int64()) return std::nullopt;
    return int32_t(v->as_int64());
}

std::optional<schema_version_record> decode_schema_value(const json::object& v, std::string subject,
                                                         int32_t version) {
    auto id = int_field(v, "id");
    auto text = string_field(v, "schema");
    if (!id || !text) return std::nullopt;
    schema_version_record r{std::move(subject), version, *id, {}, false};
    r.definition.text = std::move(*text);
    if (auto t = string_field(v, "schemaType")) {
        auto type = parse_schema_type(*t);
        if (!type) return std::nullopt;
        r.definition.type = *type;
    }
    if (auto* refs = v.if_contains("references"); refs && refs->is_array()) {
        for (const auto& ref : refs->as_array()) {
            if (!ref.is_object()) return std::nullopt;
            const auto& o = ref.as_object();
            auto name = string_field(o, "name");
            auto ref_subject = string_field(o, "subject");
            auto ref_version = int_field(o, "version");
            if (!name || !ref_subject || !ref_version) return std::nullopt;
            r.definition.references.push_back({*name, *ref_subject, *ref_version});
        }
    }
    if (auto* d = v.if_contains("deleted"); d && d->is_bool()) r.deleted = d->as_bool();
    return r;
}

} // namespace

encoded_record encode_record(const registry_record& r) { return std::visit(encoder{}, r); }

std::optional<registry_record> decode_record(std::string_view key_text, std::optional<std::string_view> value_text) {
    auto key = parse_object(key_text);
    if (!key) return std::nullopt;
    auto keytype = string_field(*key, "keytype");
    if (!keytype) return std::nullopt;
    auto subject = string_field(*key, "subject");
    std::optional<json::object> value;
    if (value_text) {
        value = parse_object(*value_text);
        if (!value) return std::nullopt;
    }
    if (*keytype == "SCHEMA") {
        auto version = int_field(*key, "version");
        if (!subject || !version) return std::nullopt;
        if (!value) return schema_tombstone_record{*subject, *version};
        if (auto r = decode_schema_value(*value, *subject, *version)) return *r;
        return std::nullopt;
    }
    if (*keytype == "CONFIG") {
        config_record r{subject, std::nullopt};
        if (value) {
            auto level = string_field(*value, "compatibilityLevel");
            if (!level) level = string_field(*value, "compatibility");
            if (!level || !(r.level = parse_compatibility_level(*level))) return std::nullopt;
        }
        return r;
    }
    if (*keytype == "MODE") {
        mode_record r{subject, std::nullopt};
        if (value) {
            auto mode = string_field(*value, "mode");
            if (!mode || !(r.mode = parse_registry_mode(*mode))) return std::nullopt;
        }
        return r;
    }
    if (*keytype == "DELETE_SUBJECT") {
        if (!subject || !value) return std::nullopt;
        auto version = int_field(*value, "version");
        if (!version) return std::nullopt;
        return delete_subject_record{*subject, *version};
    }
    return std::nullopt;
}

} // namespace strata::schema
