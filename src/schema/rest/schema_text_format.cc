#include "strata/schema/rest/schema_text_format.h"

#include "strata/schema/protobuf/protobuf_schema.h"

namespace strata::schema {

schema_definition in_requested_format(const schema_definition& def, const parsed_schema* parsed,
                                      const rest_request& req) {
    auto format = req.query.find("format");
    if (format == req.query.end() || format->second != "serialized" || def.type != schema_type::protobuf)
        return def;
    const auto* proto = dynamic_cast<const proto::protobuf_schema*>(parsed);
    if (!proto) return def;
    schema_definition out = def;
    out.text = proto->serialized_text();
    return out;
}

} // namespace strata::schema
