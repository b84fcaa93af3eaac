#include "strata/schema/format.h"

namespace strata::schema {

std::string_view to_string(schema_type t) {
    switch (t) {
    case schema_type::avro: return "AVRO";
    case schema_type::json: return "JSON";
    case schema_type::protobuf: return "PROTOBUF";
    }
    return "AVRO";
}

std::optional<schema_type> parse_schema_type(std::string_view name) {
    if (name == "AVRO") return schema_type::avro;
    if (name == "JSON") return schema_type::json;
    if (name == "PROTOBUF") return schema_type::protobuf;
    return std::nullopt;
}

const format& format_for(schema_type t) {
    switch (t) {
    case schema_type::avro: return avro_format();
    case schema_type::json: return json_format();
    case schema_type::protobuf: return protobuf_format();
    }
    return avro_format();
}

} // namespace strata::schema
