#include "strata/schema/json/json_parse.h"

#include <boost/json/parser.hpp>

namespace strata::schema {

result<boost::json::value, std::string> parse_json(std::string_view text) {
    boost::json::parse_options options;
    options.max_depth = max_json_depth;
    boost::json::parser parser({}, options);
    boost::system::error_code ec;
    size_t used = parser.write(text.data(), text.size(), ec);
    if (ec) return fail(ec.message() + " at byte " + std::to_string(used));
    return parser.release();
}

} // namespace strata::schema
