#pragma once
// Resolves a schema's "$ref"s before valijson sees them. Valijson 1.0 joins a
// relative reference to the enclosing "$id" by string concatenation, treats an
// unresolvable relative reference as a pointer into the schema itself, and
// recurses forever on a schema that reaches itself without descending into
// the record ({"$ref": "#"}, {"allOf": [{"$ref": "#"}]}): at parse time that
// crashes the registry, at validation time the produce path. So every
// reference that is not a fragment is looked up here, among the registered
// references and the subschemas that declare an "$id", and rewritten to a
// URI naming exactly one document; a reference naming nothing, and a cycle
// that stays on the same value, are schema errors. Built once per parse.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "strata/base/result.h"

namespace strata::schema {

class json_references {
public:
    // Rewrites the references in `root` and in the referenced documents.
    static result<json_references, std::string> resolve(boost::json::value& root,
                                                        std::map<std::string, boost::json::value> dependencies);

    // The document a rewritten reference names, or null.
    const boost::json::value* fetch(std::string_view uri) const;

private:
    struct named {
        std::string name;
        size_t document;
    };

    size_t find(std::string_view uri) const;
    result<void, std::string> rewrite(boost::json::value& node);
    result<void, std::string> check_cycles(const boost::json::value& root) const;

    std::vector<boost::json::value> documents_;
    std::vector<named> names_;
};

} // namespace strata::schema
