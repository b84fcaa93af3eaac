#pragma once
// Writes a parsed Avro schema as normalized JSON, so that registrations that
// differ only in whitespace, attribute order or how names are spelled
// (relative or full, {"type":"int"} or "int") get the same schema ID.
//
// The form: no whitespace; every named type's "name" is its full name (a
// "namespace" attribute only to leave an enclosing namespace for the null
// one); named types are written in full where first met and by full name
// afterwards; types from referenced schemas only by name (as Confluent's
// canonical string does). Unlike Avro's Parsing Canonical Form, doc, aliases,
// field defaults, field order, logical types and user properties are kept,
// because they matter to users (defaults change compatibility); attributes
// come in a fixed order, user properties sorted by key after them. Runs on
// the broker thread, once per parsed schema.

#include <string>
#include <unordered_set>
#include <vector>

#include <boost/json/value.hpp>

#include "avro_node.h"

namespace strata::schema::avro {

class avro_canonical_writer {
public:
    static std::string write(const avro_node& root);

private:
    void type(const avro_node& n, const std::string& ns);
    void named_header(const avro_node& n, const std::string& ns);
    void field(const avro_field& f, const std::string& ns);
    void props(const boost::json::object& p);
    void value(const boost::json::value& v);
    void string(std::string_view s);
    void strings(const std::vector<std::string>& list);
    void key(std::string_view k);

    std::string out_;
    std::unordered_set<const avro_node*> written_;
};

} // namespace strata::schema::avro
