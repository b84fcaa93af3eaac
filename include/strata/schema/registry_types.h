#pragma once
// The registry's vocabulary: compatibility levels, modes, references and a
// schema as a client submits it. Names are Confluent's, as they appear in its
// REST API and in the _schemas topic.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "strata/schema/format.h"

namespace strata::schema {

enum class compatibility_level {
    none,
    backward,
    backward_transitive,
    forward,
    forward_transitive,
    full,
    full_transitive,
};

std::string_view to_string(compatibility_level l);
std::optional<compatibility_level> parse_compatibility_level(std::string_view name);
// BACKWARD and FULL check the new schema as reader, FORWARD and FULL as writer.
bool checks_backward(compatibility_level l);
bool checks_forward(compatibility_level l);
bool is_transitive(compatibility_level l);

// READONLY refuses writes; IMPORT accepts schemas with their IDs given (a
// migration from another registry) and skips compatibility checks.
enum class registry_mode { readwrite, readonly, import };

std::string_view to_string(registry_mode m);
std::optional<registry_mode> parse_registry_mode(std::string_view name);

// A schema naming another registered schema: `name` as the referring schema
// spells it (Avro full name, JSON Schema $ref, Protobuf import path).
struct schema_reference {
    std::string name;
    std::string subject;
    int32_t version = 0;

    auto operator<=>(const schema_reference&) const = default;
};

// A schema as registered: its type, its text as the client sent it, and the
// schemas it references.
struct schema_definition {
    schema_type type = schema_type::avro;
    std::string text;
    std::vector<schema_reference> references;

    bool operator==(const schema_definition&) const = default;
};

} // namespace strata::schema
