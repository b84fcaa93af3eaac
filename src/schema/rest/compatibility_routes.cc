// POST /compatibility/subjects/{s}/versions/{v}: could this schema be
// registered, judged against version v (or "latest"); without {v}, against
// the versions the subject's level names. ?verbose=true adds the reasons.
#include "strata/schema/rest/rest_reply.h"
#include "strata/schema/rest/routes.h"

namespace strata::schema {
namespace json = boost::json;

net::http_response compatibility_routes(const schema_registry& reg, const rest_request& req) {
    if (req.path.size() < 4 || req.path.size() > 5 || req.path[1] != "subjects" || req.path[3] != "versions")
        return not_found_reply();
    if (req.method != "POST") return method_not_allowed_reply();
    const std::string& subject = req.path[2];
    auto body = body_object(req);
    if (!body) return error_reply(body.error());
    auto def = definition_from(*body);
    if (!def) return error_reply(def.error());
    std::optional<int32_t> version;
    if (req.path.size() == 5) {
        auto spec = parse_version(req.path[4]);
        if (!spec) return error_reply(spec.error());
        // "latest" of a subject with no live version: anything may come first.
        if (*spec == -1) {
            version = reg.store().latest_version(subject, false);
            if (!version) return json_reply(json::object{{"is_compatible", true}});
        } else {
            version = *spec;
        }
    }
    auto reasons = reg.check_compatibility(subject, version, *def);
    if (!reasons) return error_reply(reasons.error());
    json::object out{{"is_compatible", reasons->empty()}};
    if (req.flag("verbose")) {
        json::array messages;
        for (auto& r : *reasons) messages.push_back(json::value(r));
        out["messages"] = std::move(messages);
    }
    return json_reply(out);
}

} // namespace strata::schema
