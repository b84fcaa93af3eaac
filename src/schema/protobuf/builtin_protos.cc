#include "strata/schema/protobuf/builtin_protos.h"

namespace strata::schema::proto {
namespace {

// Confluent's field/message metadata options (tags, docs, data-quality rules).
constexpr std::string_view confluent_meta = R"(syntax = "proto3";
package confluent;
import "google/protobuf/descriptor.proto";
option go_package = "../confluent";

message Meta {
  string doc = 1;
  map<string, string> params = 2;
  repeated string tags = 3;
  repeated Rule rules = 4;
}

message Rule {
  string name = 1;
  string doc = 2;
  string expr = 3;
  string sql = 4;
}

extend google.protobuf.FileOptions { Meta file_meta = 1088; }
extend google.protobuf.MessageOptions { Meta message_meta = 1088; }
extend google.protobuf.FieldOptions { Meta field_meta = 1088; }
extend google.protobuf.EnumOptions { Meta enum_meta = 1088; }
extend google.protobuf.EnumValueOptions { Meta enum_value_meta = 1088; }
)";

// Confluent's decimal logical type: unscaled two's-complement big-endian bytes.
constexpr std::string_view confluent_decimal = R"(syntax = "proto3";
package confluent.type;
option go_package = "../types";

message Decimal {
  bytes value = 1;
  uint32 precision = 2;
  int32 scale = 3;
}
)";

} // namespace

std::optional<std::string_view> builtin_proto_text(std::string_view path) {
    if (path == "confluent/meta.proto") return confluent_meta;
    if (path == "confluent/type/decimal.proto") return confluent_decimal;
    return std::nullopt;
}

} // namespace strata::schema::proto
