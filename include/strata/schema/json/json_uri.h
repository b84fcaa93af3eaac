#pragma once
// Text helpers for the places JSON Schema names things: JSON Pointer tokens
// and reference names.

#include <string>
#include <string_view>

namespace strata::schema {

// A JSON Pointer token: "~" as "~0", "/" as "~1".
std::string pointer_token(std::string_view name);

// One reference name is a path tail of the other ("customer.json" and
// "http://example.com/schemas/customer.json"), or they are equal.
bool same_path_tail(std::string_view a, std::string_view b);

} // namespace strata::schema
