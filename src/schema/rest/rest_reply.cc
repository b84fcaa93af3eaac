#include "strata/schema/rest/rest_reply.h"

#include <charconv>

namespace strata::schema {
namespace json = boost::json;

net::http_response json_reply(const json::value& v, unsigned status) {
    return {status, std::string(registry_content_type), json::serialize(v)};
}

net::http_response error_reply(const registry_error& e) {
    return json_reply(json::object{{"error_code", int32_t(e.code)}, {"message", e.message}}, e.http_status());
}

net::http_response error_reply(registry_errc code, std::string message) {
    return error_reply(registry_error{code, std::move(message)});
}

net::http_response text_reply(std::string text) {
    return {200, std::string(registry_content_type), std::move(text)};
}

net::http_response not_found_reply() { return error_reply(registry_errc::not_found, "HTTP 404 Not Found"); }

net::http_response method_not_allowed_reply() {
    return error_reply(registry_errc::method_not_allowed, "HTTP 405 Method Not Allowed");
}

result<json::object, registry_error> body_object(const rest_request& req) {
    boost::system::error_code ec;
    auto v = json::parse(req.body, ec);
    if (ec || !v.is_object())
        return fail(registry_error{registry_errc::bad_request, "The request body is not a JSON object"});
    return std::move(v.as_object());
}

result<schema_definition, registry_error> definition_from(const json::object& body) {
    auto invalid = [](std::string m) { return fail(registry_error{registry_errc::invalid_schema, std::move(m)}); };
    schema_definition def;
    const auto* text = body.if_contains("schema");
    if (!text || !text->is_string()) return invalid("Empty schema");
    def.text = std::string(text->as_string());
    if (const auto* t = body.if_contains("schemaType"); t && !t->is_null()) {
        auto type = t->is_string() ? parse_schema_type(t->as_string()) : std::nullopt;
        if (!type) return invalid("Invalid schema type; AVRO, JSON and PROTOBUF are known");
        def.type = *type;
    }
    if (const auto* refs = body.if_contains("references"); refs && !refs->is_null()) {
        if (!refs->is_array()) return invalid("references must be an array");
        for (const auto& r : refs->as_array()) {
            const auto* o = r.if_object();
            const json::value* name = o ? o->if_contains("name") : nullptr;
            const json::value* subject = o ? o->if_contains("subject") : nullptr;
            const json::value* version = o ? o->if_contains("version") : nullptr;
            if (!name || !name->is_string() || !subject || !subject->is_string() || !version ||
                !version->is_int64())
                return invalid("A reference needs a name, a subject and a version");
            def.references.push_back({std::string(name->as_string()), std::string(subject->as_string()),
                                      int32_t(version->as_int64())});
        }
    }
    return def;
}

void add_schema_fields(json::object& out, const schema_definition& def) {
    if (def.type != schema_type::avro) out["schemaType"] = to_string(def.type);
    if (!def.references.empty()) {
        json::array refs;
        for (const auto& r : def.references)
            refs.push_back(json::object{{"name", r.name}, {"subject", r.subject}, {"version", r.version}});
        out["references"] = std::move(refs);
    }
    out["schema"] = def.text;
}

json::object version_json(std::string_view subject, int32_t version, int32_t id, const schema_definition& def) {
    json::object out{{"subject", subject}, {"version", version}, {"id", id}};
    add_schema_fields(out, def);
    return out;
}

result<int32_t, registry_error> parse_version(std::string_view spec) {
    if (spec == "latest") return -1;
    int32_t v = 0;
    auto [ptr, ec] = std::from_chars(spec.data(), spec.data() + spec.size(), v);
    if (ec != std::errc{} || ptr != spec.data() + spec.size() || (v < 1 && v != -1))
        return fail(registry_error{registry_errc::invalid_version,
                                   "The specified version '" + std::string(spec) +
                                       "' is not a valid version id. Allowed values are between [1, 2^31-1] and "
                                       "the string \"latest\""});
    return v;
}

result<int32_t, registry_error> resolve_version(const schema_store& store, std::string_view subject,
                                                std::string_view spec, bool include_deleted) {
    auto parsed = parse_version(spec);
    if (!parsed) return parsed;
    const auto* vs = store.versions(subject);
    if (!vs || (!include_deleted && !store.latest_version(subject, false)))
        return fail(registry_error{registry_errc::subject_not_found, "Subject '" + std::string(subject) + "' not found."});
    if (*parsed == -1) return *store.latest_version(subject, include_deleted);
    auto it = vs->find(*parsed);
    if (it == vs->end() || (it->second.deleted && !include_deleted))
        return fail(registry_error{registry_errc::version_not_found, "Version " + std::string(spec) + " not found."});
    return *parsed;
}

} // namespace strata::schema
