// /schemas (all of them), /schemas/types and /schemas/ids/{id}[/schema |
// /versions | /subjects]: schemas by their global ID.
#include <charconv>

#include "strata/schema/rest/rest_reply.h"
#include "strata/schema/rest/routes.h"
#include "strata/schema/rest/schema_text_format.h"

namespace strata::schema {
namespace json = boost::json;
namespace {

// GET /schemas: every version of every subject (?deleted=true, ?latestOnly=true,
// ?subjectPrefix=p), as GET /subjects/{s}/versions/{v} shows each.
net::http_response all_schemas(const schema_store& store, const rest_request& req) {
    const bool deleted = req.flag("deleted");
    const bool latest_only = req.flag("latestOnly");
    auto prefix = req.query.find("subjectPrefix");
    json::array out;
    for (const auto& subject : store.subjects(deleted)) {
        if (prefix != req.query.end() && !subject.starts_with(prefix->second)) continue;
        auto latest = store.latest_version(subject, deleted);
        for (const auto& [version, v] : *store.versions(subject)) {
            if ((v.deleted && !deleted) || (latest_only && version != latest)) continue;
            out.push_back(version_json(subject, version, v.id, store.schema(v.id)->definition));
        }
    }
    return json_reply(out);
}

} // namespace

net::http_response schema_routes(const schema_registry& reg, const rest_request& req) {
    if (req.method != "GET") return method_not_allowed_reply();
    if (req.path.size() == 2 && req.path[1] == "types") return json_reply(json::array{"JSON", "PROTOBUF", "AVRO"});
    if (req.path.size() == 1) return all_schemas(reg.store(), req);
    if (req.path.size() < 3 || req.path.size() > 4 || req.path[1] != "ids") return not_found_reply();
    const std::string& text = req.path[2];
    int32_t id = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    const stored_schema* stored = ec == std::errc{} && ptr == text.data() + text.size() ? reg.store().schema(id) : nullptr;
    if (!stored) return error_reply(registry_errc::schema_not_found, "Schema " + text + " not found");
    const auto tail = req.segment(3);
    if (tail.empty() || tail == "schema") {
        auto def = in_requested_format(stored->definition, reg.by_id(id).get(), req);
        if (tail == "schema") return text_reply(def.text);
        json::object out;
        add_schema_fields(out, def);
        return json_reply(out);
    }
    if (tail == "versions" || tail == "subjects") {
        json::array out;
        for (const auto& ref : reg.store().versions_with_id(id, req.flag("deleted"))) {
            if (tail == "versions") {
                out.push_back(json::object{{"subject", ref.subject}, {"version", ref.version}});
            } else if (out.empty() || out.back().as_string() != ref.subject) {
                out.push_back(json::value(ref.subject));
            }
        }
        return json_reply(out);
    }
    return not_found_reply();
}

} // namespace strata::schema
