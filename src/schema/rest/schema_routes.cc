// /schemas/types and /schemas/ids/{id}[/schema | /versions | /subjects]:
// schemas by their global ID.
#include <charconv>

#include "strata/schema/rest/rest_reply.h"
#include "strata/schema/rest/routes.h"

namespace strata::schema {
namespace json = boost::json;

net::http_response schema_routes(const schema_registry& reg, const rest_request& req) {
    if (req.method != "GET") return method_not_allowed_reply();
    if (req.path.size() == 2 && req.path[1] == "types") return json_reply(json::array{"JSON", "PROTOBUF", "AVRO"});
    if (req.path.size() < 3 || req.path.size() > 4 || req.path[1] != "ids") return not_found_reply();
    const std::string& text = req.path[2];
    int32_t id = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    const stored_schema* stored = ec == std::errc{} && ptr == text.data() + text.size() ? reg.store().schema(id) : nullptr;
    if (!stored) return error_reply(registry_errc::schema_not_found, "Schema " + text + " not found");
    const auto tail = req.segment(3);
    if (tail.empty()) {
        json::object out;
        add_schema_fields(out, stored->definition);
        return json_reply(out);
    }
    if (tail == "schema") return text_reply(stored->definition.text);
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
