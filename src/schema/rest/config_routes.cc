// /config and /config/{s}: the compatibility level, global or per subject.
// PUT takes {"compatibility": L}; GET answers {"compatibilityLevel": L}.
#include <algorithm>
#include <cctype>

#include "strata/schema/rest/rest_reply.h"
#include "strata/schema/rest/routes.h"

namespace strata::schema {
namespace json = boost::json;
namespace {

json::object level_json(compatibility_level l) { return {{"compatibilityLevel", to_string(l)}}; }

result<compatibility_level, registry_error> level_from(const json::object& body) {
    const auto* v = body.if_contains("compatibility");
    if (!v) v = body.if_contains("compatibilityLevel");
    std::string name = v && v->is_string() ? std::string(v->as_string()) : "";
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return char(std::toupper(c)); });
    if (auto l = parse_compatibility_level(name)) return *l;
    return fail(registry_error{registry_errc::invalid_compatibility_level,
                               "Invalid compatibility level. Valid values are none, backward, forward, full, "
                               "backward_transitive, forward_transitive, and full_transitive"});
}

} // namespace

boost::asio::awaitable<net::http_response> config_routes(schema_registry& reg, const rest_request& req) {
    if (req.path.size() > 2) co_return not_found_reply();
    std::optional<std::string> subject;
    if (req.path.size() == 2) subject = req.path[1];
    const auto current = reg.store().compatibility(subject);
    const auto not_configured = [&] {
        return error_reply(registry_errc::subject_compatibility_not_configured,
                           "Subject '" + *subject + "' does not have subject-level compatibility configured");
    };
    if (req.method == "GET") {
        if (current) co_return json_reply(level_json(*current));
        if (subject && !req.flag("defaultToGlobal")) co_return not_configured();
        co_return json_reply(level_json(reg.store().compatibility(std::nullopt).value_or(compatibility_level::backward)));
    }
    if (req.method == "PUT") {
        auto body = body_object(req);
        if (!body) co_return error_reply(body.error());
        auto level = level_from(*body);
        if (!level) co_return error_reply(level.error());
        auto set = co_await reg.set_compatibility(subject, *level);
        if (!set) co_return error_reply(set.error());
        co_return json_reply(json::object{{"compatibility", to_string(*level)}});
    }
    if (req.method == "DELETE") {
        if (subject && !current) co_return not_configured();
        auto cleared = co_await reg.set_compatibility(subject, std::nullopt);
        if (!cleared) co_return error_reply(cleared.error());
        co_return json_reply(level_json(current.value_or(compatibility_level::backward)));
    }
    co_return method_not_allowed_reply();
}

} // namespace strata::schema
