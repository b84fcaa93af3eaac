#pragma once
// Prepares a schema document for valijson: moves "pattern", "format" and
// "uniqueItems" to keywords of our own (see keyword_constraints.h: valijson's
// own checks can crash, throw or stall on a record), and checks up front what
// valijson would otherwise only find while validating a record: that every
// "patternProperties" key is a regular expression std::regex accepts.

#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "strata/base/result.h"

namespace strata::schema {

inline constexpr std::string_view pattern_keyword = "x-strata-pattern";
inline constexpr std::string_view format_keyword = "x-strata-format";
inline constexpr std::string_view unique_items_keyword = "x-strata-uniqueItems";

struct valijson_keywords {
    // valijson matches patternProperties with std::regex, which recurses per
    // character: records are refused property names longer than this when the
    // schema uses it, rather than crashing the broker.
    static constexpr size_t max_pattern_property_name = 1024;
    bool uses_pattern_properties = false;
};

// Rewrites `schema` in place (keywords only: see json_subschemas.h).
result<valijson_keywords, std::string> prepare_for_valijson(boost::json::value& schema);

} // namespace strata::schema
