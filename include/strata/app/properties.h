#pragma once
// Java-style .properties files, as Kafka's server.properties: `key=value` or
// `key: value`, `#` and `!` comments, backslash line continuations.

#include <map>
#include <string>
#include <string_view>

#include "strata/base/result.h"

namespace strata::app {

using properties = std::map<std::string, std::string, std::less<>>;

struct parse_error {
    int line = 0;
    std::string message;
};

result<properties, parse_error> parse_properties(std::string_view text);

// Parses "key=value" from a --override argument.
result<std::pair<std::string, std::string>, parse_error> parse_override(std::string_view arg);

} // namespace strata::app
