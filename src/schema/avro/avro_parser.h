#pragma once
// Turns Avro schema JSON (the Avro 1.11 specification) into an avro_node
// graph: names and namespaces resolved as the spec says, named types shared
// by reference, logical types checked leniently, field defaults checked
// against their types. One parser per schema_source; it runs on the broker
// thread when the registry parses a schema and is discarded afterwards.

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/json/value.hpp>

#include "avro_node.h"

namespace strata::schema::avro {

class avro_parser {
public:
    explicit avro_parser(avro_node_store& store) : store_(store) {}

    // Parses one schema text whose named types join those already known.
    // Returns the top-level node, or null with error() saying why; a failed
    // parse leaves the known names and the store as they were.
    const avro_node* parse(std::string_view text, bool from_reference);
    const std::string& error() const { return error_; }

private:
    avro_node* parse_type(const boost::json::value& v, const std::string& ns);
    avro_node* parse_object(const boost::json::object& o, const std::string& ns);
    avro_node* parse_union(const boost::json::array& a, const std::string& ns);
    avro_node* resolve_name(std::string_view name, const std::string& ns);
    avro_node* define(avro_kind kind, const boost::json::object& o, const std::string& ns);
    bool parse_fields(avro_node& record, const boost::json::object& o);
    bool parse_field(avro_node& record, const boost::json::value& v);
    bool parse_enum(avro_node& e, const boost::json::object& o);
    bool parse_fixed(avro_node& f, const boost::json::object& o);
    bool parse_aliases(const boost::json::object& o, const std::string& ns, std::vector<std::string>& out);
    bool parse_doc(const boost::json::object& o, std::optional<std::string>& out);
    avro_node& new_node(avro_kind kind);
    bool fail(std::string message);
    void rollback(size_t store_size, size_t names_count);

    avro_node_store& store_;
    std::unordered_map<std::string, avro_node*> names_;
    std::vector<std::string> defined_;  // names_ keys in definition order, for rollback
    bool from_reference_ = false;
    std::string error_;
};

// The spec's name rule: [A-Za-z_][A-Za-z0-9_]*.
bool valid_avro_name(std::string_view name);

} // namespace strata::schema::avro
