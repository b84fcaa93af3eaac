// /mode and /mode/{s}: READWRITE, READONLY or IMPORT, global or per subject.
// IMPORT over existing schemas needs ?force=true.
#include "strata/schema/rest/rest_reply.h"
#include "strata/schema/rest/routes.h"

namespace strata::schema {
namespace json = boost::json;
namespace {

json::object mode_json(registry_mode m) { return {{"mode", to_string(m)}}; }

} // namespace

boost::asio::awaitable<net::http_response> mode_routes(schema_registry& reg, const rest_request& req) {
    if (req.path.size() > 2) co_return not_found_reply();
    std::optional<std::string> subject;
    if (req.path.size() == 2) subject = req.path[1];
    const auto current = reg.store().mode(subject);
    const auto not_configured = [&] {
        return error_reply(registry_errc::subject_mode_not_configured,
                           "Subject '" + *subject + "' does not have subject-level mode configured");
    };
    if (req.method == "GET") {
        if (current) co_return json_reply(mode_json(*current));
        if (subject && !req.flag("defaultToGlobal")) co_return not_configured();
        co_return json_reply(mode_json(reg.store().mode(std::nullopt).value_or(registry_mode::readwrite)));
    }
    if (req.method == "PUT") {
        auto body = body_object(req);
        if (!body) co_return error_reply(body.error());
        const auto* v = body->if_contains("mode");
        auto mode = v && v->is_string() ? parse_registry_mode(v->as_string()) : std::nullopt;
        if (!mode)
            co_return error_reply(registry_errc::invalid_mode,
                                  "Invalid mode. Valid values are READWRITE, READONLY and IMPORT");
        auto set = co_await reg.set_mode(subject, *mode, req.flag("force"));
        if (!set) co_return error_reply(set.error());
        co_return json_reply(mode_json(*mode));
    }
    if (req.method == "DELETE") {
        if (subject && !current) co_return not_configured();
        auto cleared = co_await reg.set_mode(subject, std::nullopt, false);
        if (!cleared) co_return error_reply(cleared.error());
        co_return json_reply(mode_json(current.value_or(registry_mode::readwrite)));
    }
    co_return method_not_allowed_reply();
}

} // namespace strata::schema
