#pragma once
// Parses JSON text (a schema or a record) into a Boost.JSON value, with the
// nesting bound the validator's recursion can afford on the broker thread.

#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "strata/base/result.h"

namespace strata::schema {

inline constexpr unsigned max_json_depth = 64;

// The error names the problem and the byte offset it was found at.
result<boost::json::value, std::string> parse_json(std::string_view text);

} // namespace strata::schema
