#pragma once
// Avro schema resolution (the spec's "Schema Resolution"), checked the way
// Java Avro's SchemaCompatibility does it, which Confluent's registry uses:
// promotions (int to long/float/double, long to float/double, float to
// double, string and bytes both ways), named types matched by unqualified name
// or a reader alias, reader fields missing from the writer need a default,
// enums need every writer symbol unless the reader has a default, fixed sizes
// must agree, every writer union branch must be readable. Recursive schemas
// are fine: a pair under check is taken as compatible when met again.
//
// Each reason is written as Confluent's Difference does
// ({errorType:'...', description:'...', additionalInfo:'...'}), with "reader"
// and "writer" where Confluent says "new" or "old" (which is which depends on
// the compatibility level, which this checker does not know). One checker per
// check, on the broker thread.

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "avro_node.h"

namespace strata::schema::avro {

class avro_compatibility {
public:
    static std::vector<std::string> check(const avro_node& reader, const avro_node& writer);

private:
    // Pairs of types under check at once: named types reached through cycles
    // of different lengths in the two schemas pair up anew for as many
    // levels as the cycles' least common multiple, so a hostile schema could
    // exhaust the stack without this bound.
    static constexpr size_t max_depth = 1000;

    enum class problem { type_mismatch, name_mismatch, fixed_size_mismatch, missing_enum_symbols,
                         missing_union_branch, reader_field_missing_default_value, too_deep };
    struct incompatibility {
        problem type;
        std::string location;
        std::string message;
    };
    using list = std::vector<incompatibility>;

    list pair(const avro_node& reader, const avro_node& writer);
    list at(std::string token, const avro_node& reader, const avro_node& writer);
    list calculate(const avro_node& reader, const avro_node& writer);
    list same_kind(const avro_node& reader, const avro_node& writer);
    list names(const avro_node& reader, const avro_node& writer);
    list fields(const avro_node& reader, const avro_node& writer);
    list symbols(const avro_node& reader, const avro_node& writer);
    incompatibility make(problem type, std::string message) const;
    static std::string render(const incompatibility& i);

    std::vector<std::string> location_;
    size_t depth_ = 0;
    // Results per (reader, writer) pair; an empty optional while in progress.
    std::map<std::pair<const avro_node*, const avro_node*>, std::optional<list>> memo_;
};

} // namespace strata::schema::avro
