#pragma once
// The .proto files Confluent's registry resolves without a schema reference
// besides Google's well-known types (those come from libprotobuf's generated
// pool): clients skip registering them, so a schema importing them must still
// build. Pure function, callable from any thread.

#include <optional>
#include <string_view>
#include <vector>

namespace strata::schema::proto {

// The text of a built-in import path, or nothing.
std::optional<std::string_view> builtin_proto_text(std::string_view path);
// Every built-in path (confluent/..., google/type/...).
std::vector<std::string_view> builtin_proto_paths();

} // namespace strata::schema::proto
