#include "strata/schema/json/json_draft.h"

#include <string_view>

namespace strata::schema {
namespace {

// The URIs Confluent recognizes for each draft, with or without the trailing
// "#" and over http or https.
bool names(std::string_view uri, std::string_view path) {
    if (uri.ends_with('#')) uri.remove_suffix(1);
    for (std::string_view scheme : {"http://", "https://"}) {
        if (uri.starts_with(scheme) && uri.substr(scheme.size()) == path) return true;
    }
    return false;
}

} // namespace

result<json_draft, std::string> detect_json_draft(const boost::json::value& schema) {
    const auto* object = schema.if_object();
    if (!object) return json_draft::draft7;
    const auto* declared = object->if_contains("$schema");
    if (!declared || !declared->is_string()) return json_draft::draft7;
    std::string_view uri = declared->get_string();
    if (names(uri, "json-schema.org/draft-04/schema") || names(uri, "json-schema.org/schema")) {
        return json_draft::draft4;
    }
    if (names(uri, "json-schema.org/draft-06/schema")) return json_draft::draft6;
    if (names(uri, "json-schema.org/draft-07/schema")) return json_draft::draft7;
    for (std::string_view unsupported : {"json-schema.org/draft-03/schema", "json-schema.org/draft/2019-09/schema",
                                         "json-schema.org/draft/2020-12/schema"}) {
        if (names(uri, unsupported)) {
            return fail("$schema " + std::string(uri) +
                        " is not supported: JSON Schema drafts 4, 6 and 7 are");
        }
    }
    return json_draft::draft7;
}

} // namespace strata::schema
