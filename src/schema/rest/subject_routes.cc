// /subjects: list; /subjects/{s}: POST looks a schema up, DELETE deletes the
// subject (soft, or permanent=true after a soft delete).
#include "strata/schema/rest/rest_reply.h"
#include "strata/schema/rest/routes.h"

namespace strata::schema {
namespace json = boost::json;

boost::asio::awaitable<net::http_response> subject_routes(schema_registry& reg, const rest_request& req) {
    if (req.path.size() == 1) {
        if (req.method != "GET") co_return method_not_allowed_reply();
        json::array names;
        for (auto& s : reg.store().subjects(req.flag("deleted"))) names.push_back(json::value(s));
        co_return json_reply(names);
    }
    if (req.path.size() != 2) co_return not_found_reply();
    const std::string& subject = req.path[1];
    if (req.method == "POST") {
        auto body = body_object(req);
        if (!body) co_return error_reply(body.error());
        auto def = definition_from(*body);
        if (!def) co_return error_reply(def.error());
        auto found = reg.lookup(subject, *def, req.flag("deleted"));
        if (!found) co_return error_reply(found.error());
        co_return json_reply(version_json(subject, found->version, found->id, reg.store().schema(found->id)->definition));
    }
    if (req.method == "DELETE") {
        auto deleted = co_await reg.delete_subject(subject, req.flag("permanent"));
        if (!deleted) co_return error_reply(deleted.error());
        json::array versions;
        for (int32_t v : *deleted) versions.push_back(v);
        co_return json_reply(versions);
    }
    co_return method_not_allowed_reply();
}

} // namespace strata::schema
