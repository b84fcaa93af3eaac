#include "avro_node.h"

namespace strata::schema::avro {

std::string_view kind_name(avro_kind k) {
    switch (k) {
    case avro_kind::null_type: return "null";
    case avro_kind::boolean: return "boolean";
    case avro_kind::int_type: return "int";
    case avro_kind::long_type: return "long";
    case avro_kind::float_type: return "float";
    case avro_kind::double_type: return "double";
    case avro_kind::bytes: return "bytes";
    case avro_kind::string: return "string";
    case avro_kind::record: return "record";
    case avro_kind::enumeration: return "enum";
    case avro_kind::array: return "array";
    case avro_kind::map: return "map";
    case avro_kind::union_type: return "union";
    case avro_kind::fixed: return "fixed";
    }
    return "null";
}

std::string_view kind_upper_name(avro_kind k) {
    switch (k) {
    case avro_kind::null_type: return "NULL";
    case avro_kind::boolean: return "BOOLEAN";
    case avro_kind::int_type: return "INT";
    case avro_kind::long_type: return "LONG";
    case avro_kind::float_type: return "FLOAT";
    case avro_kind::double_type: return "DOUBLE";
    case avro_kind::bytes: return "BYTES";
    case avro_kind::string: return "STRING";
    case avro_kind::record: return "RECORD";
    case avro_kind::enumeration: return "ENUM";
    case avro_kind::array: return "ARRAY";
    case avro_kind::map: return "MAP";
    case avro_kind::union_type: return "UNION";
    case avro_kind::fixed: return "FIXED";
    }
    return "NULL";
}

std::optional<avro_kind> primitive_kind(std::string_view name) {
    if (name == "null") return avro_kind::null_type;
    if (name == "boolean") return avro_kind::boolean;
    if (name == "int") return avro_kind::int_type;
    if (name == "long") return avro_kind::long_type;
    if (name == "float") return avro_kind::float_type;
    if (name == "double") return avro_kind::double_type;
    if (name == "bytes") return avro_kind::bytes;
    if (name == "string") return avro_kind::string;
    return std::nullopt;
}

} // namespace strata::schema::avro
