// /subjects/{s}/versions: GET lists, POST registers; /subjects/{s}/versions/{v}
// [/schema | /referencedby]: GET reads, DELETE deletes one version.
#include <charconv>

#include "strata/schema/rest/rest_reply.h"
#include "strata/schema/rest/routes.h"
#include "strata/schema/rest/schema_text_format.h"

namespace strata::schema {
namespace json = boost::json;
namespace {

// "id" and "version" of a body, when given (IMPORT mode).
result<std::optional<int32_t>, registry_error> optional_int(const json::object& body, std::string_view name) {
    const auto* v = body.if_contains(name);
    if (!v || v->is_null()) return std::optional<int32_t>{};
    if (!v->is_int64() || v->as_int64() < 1 || v->as_int64() > INT32_MAX)
        return fail(registry_error{registry_errc::bad_request, std::string(name) + " must be a positive integer"});
    return std::optional<int32_t>(int32_t(v->as_int64()));
}

boost::asio::awaitable<net::http_response> versions(schema_registry& reg, const rest_request& req,
                                                    const std::string& subject) {
    if (req.method == "GET") {
        const bool deleted = req.flag("deleted");
        const auto* vs = reg.store().versions(subject);
        if (!vs || !reg.store().latest_version(subject, deleted))
            co_return error_reply(registry_errc::subject_not_found, "Subject '" + subject + "' not found.");
        json::array out;
        for (const auto& [version, v] : *vs)
            if (deleted || !v.deleted) out.push_back(version);
        co_return json_reply(out);
    }
    if (req.method != "POST") co_return method_not_allowed_reply();
    auto body = body_object(req);
    if (!body) co_return error_reply(body.error());
    auto def = definition_from(*body);
    if (!def) co_return error_reply(def.error());
    auto id = optional_int(*body, "id");
    if (!id) co_return error_reply(id.error());
    auto version = optional_int(*body, "version");
    if (!version) co_return error_reply(version.error());
    auto registered = co_await reg.register_schema(subject, std::move(*def), *id, *version);
    if (!registered) co_return error_reply(registered.error());
    co_return json_reply(json::object{{"id", registered->id}});
}

} // namespace

boost::asio::awaitable<net::http_response> subject_version_routes(schema_registry& reg, const rest_request& req) {
    const std::string& subject = req.path[1];
    if (req.path.size() == 3) co_return co_await versions(reg, req, subject);
    if (req.path.size() > 5) co_return not_found_reply();
    const auto& store = reg.store();
    const std::string_view spec = req.path[3];
    if (req.method == "DELETE" && req.path.size() == 4) {
        const bool permanent = req.flag("permanent");
        // A numbered version may be soft-deleted already: the registry says so (40406).
        auto version = resolve_version(store, subject, spec, permanent || spec != "latest");
        if (!version) co_return error_reply(version.error());
        auto deleted = co_await reg.delete_version(subject, *version, permanent);
        if (!deleted) co_return error_reply(deleted.error());
        co_return json_reply(*deleted);
    }
    if (req.method != "GET") co_return method_not_allowed_reply();
    auto version = resolve_version(store, subject, spec, req.flag("deleted"));
    if (!version) co_return error_reply(version.error());
    const int32_t id = store.versions(subject)->at(*version).id;
    const auto def = in_requested_format(store.schema(id)->definition, reg.by_id(id).get(), req);
    if (req.path.size() == 4) co_return json_reply(version_json(subject, *version, id, def));
    if (req.segment(4) == "schema") co_return text_reply(def.text);
    if (req.segment(4) == "referencedby") {
        json::array ids;
        for (int32_t by : store.referenced_by(subject, *version)) ids.push_back(by);
        co_return json_reply(ids);
    }
    co_return not_found_reply();
}

} // namespace strata::schema
