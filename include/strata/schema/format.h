#pragma once
// The contract each schema format (Avro, JSON Schema, Protobuf) implements:
// parse a registered schema, validate a record payload against it, and say
// whether one schema can read data written with another. The registry (REST
// API, compatibility levels) and the produce-path validator reach the formats
// only through this interface. Parsed schemas are immutable and shared; formats
// are stateless singletons. Everything here runs on the broker thread.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "strata/base/result.h"

namespace strata::schema {

enum class schema_type { avro, json, protobuf };

// "AVRO", "JSON", "PROTOBUF": the names Confluent's REST API uses.
std::string_view to_string(schema_type t);
std::optional<schema_type> parse_schema_type(std::string_view name);

// A schema's text with its references resolved, transitively, to the texts of
// the schemas they name. The key is the reference's name as the referring
// schema spells it: an Avro full name, a JSON Schema $ref URL, a Protobuf
// import path.
struct schema_source {
    schema_type type = schema_type::avro;
    std::string text;
    std::map<std::string, std::string> dependencies;
};

class parsed_schema {
public:
    virtual ~parsed_schema() = default;
    virtual schema_type type() const = 0;
    // Normalized text: two registrations with the same canonical text are the
    // same schema (one ID, and a repeated registration returns the old version).
    virtual const std::string& canonical_text() const = 0;
    // Checks a record payload: the bytes after the 5-byte Confluent prefix
    // (magic 0, big-endian schema ID). For Protobuf they begin with the
    // message indexes. Returns why the payload is invalid, or nothing.
    virtual std::optional<std::string> validate(std::span<const uint8_t> payload) const = 0;
    // The fully qualified name of the record type the payload was written as,
    // for RecordNameStrategy and TopicRecordNameStrategy: the Avro record's
    // full name, the Protobuf message's full name, the JSON schema's "title".
    virtual std::optional<std::string> record_name(std::span<const uint8_t> payload) const = 0;
};

using schema_ptr = std::shared_ptr<const parsed_schema>;

class format {
public:
    virtual ~format() = default;
    virtual schema_type type() const = 0;
    // Parses and checks a schema; the error says what is wrong with it
    // (Confluent answers 42201 "Invalid schema" with that message).
    virtual result<schema_ptr, std::string> parse(const schema_source& source) const = 0;
    // The reasons data written with `writer` cannot be read with `reader`, by
    // this format's own rules; empty means it can. BACKWARD checks (new reader,
    // old writer), FORWARD the reverse, FULL both.
    virtual std::vector<std::string> read_incompatibilities(const parsed_schema& reader,
                                                            const parsed_schema& writer) const = 0;
};

// Each format lives in its own directory under src/schema/.
const format& avro_format();
const format& json_format();
const format& protobuf_format();
const format& format_for(schema_type t);

} // namespace strata::schema
