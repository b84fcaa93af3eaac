#pragma once
// The parsed form of an Avro schema: a graph of nodes, one per type written in
// the schema text (named types are shared, so recursive schemas are cycles).
// The parser builds it once; afterwards it is immutable and read by the
// decoder, the canonical writer and the compatibility checker, all on the
// broker thread. Nodes are owned by an avro_node_store, which never moves them.

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace strata::schema::avro {

enum class avro_kind : uint8_t {
    null_type,
    boolean,
    int_type,
    long_type,
    float_type,
    double_type,
    bytes,
    string,
    record,
    enumeration,
    array,
    map,
    union_type,
    fixed,
};

// The spec's lower-case type name ("int", "record", "union").
std::string_view kind_name(avro_kind k);
// Java's Schema.Type names ("INT", "RECORD"), which compatibility messages use.
std::string_view kind_upper_name(avro_kind k);
std::optional<avro_kind> primitive_kind(std::string_view name);

enum class field_order : uint8_t { ascending, descending, ignore };

struct avro_node;

struct avro_field {
    std::string name;
    const avro_node* type = nullptr;
    std::optional<boost::json::value> default_value;
    field_order order = field_order::ascending;
    std::vector<std::string> aliases;
    std::optional<std::string> doc;
    boost::json::object props;  // attributes the spec does not define, kept for users
};

// Logical types that passed Java Avro's checks; an invalid one is ignored (it
// stays in props, as Java keeps it as a plain property).
enum class logical_type : uint8_t {
    none,
    decimal,
    uuid,
    date,
    time_millis,
    time_micros,
    timestamp_millis,
    timestamp_micros,
    local_timestamp_millis,
    local_timestamp_micros,
    duration,
};

struct avro_node {
    avro_kind kind = avro_kind::null_type;
    // Named types (record, enum, fixed).
    std::string full_name;
    std::string name_space;
    std::vector<std::string> aliases;  // full names
    std::optional<std::string> doc;
    bool is_error = false;        // declared as "error" (a record)
    bool from_reference = false;  // defined by a referenced schema, not this one
    // record
    std::vector<avro_field> fields;
    // enum
    std::vector<std::string> symbols;
    std::optional<std::string> enum_default;
    // array items, map values
    const avro_node* items = nullptr;
    // union
    std::vector<const avro_node*> branches;
    // fixed
    uint32_t size = 0;
    logical_type logical = logical_type::none;
    // Everything else the type object carries (logicalType, precision, ...).
    boost::json::object props;
    // Always encodes to zero bytes (null, fixed(0), records of those): the
    // decoder skips array items of such types instead of looping over a
    // hostile block count.
    bool zero_size = false;

    bool is_named() const {
        return kind == avro_kind::record || kind == avro_kind::enumeration || kind == avro_kind::fixed;
    }
};

// Owns the nodes of one schema (its own and those of its references).
using avro_node_store = std::deque<avro_node>;

} // namespace strata::schema::avro
