#pragma once
// The records of the _schemas topic, in Confluent Schema Registry's formats
// so the topic reads the same to its tools. Keys and values are JSON:
//
//   SCHEMA          key {"keytype":"SCHEMA","subject":s,"version":v,"magic":1}
//                   value {"subject","version","id","schemaType" (absent for
//                   AVRO),"references" (absent when none),"schema","deleted"};
//                   a null value is a permanent delete of that version
//   CONFIG          key {"keytype":"CONFIG","subject":s|null,"magic":0}
//                   value {"compatibilityLevel":L}; null value clears it
//   MODE            key {"keytype":"MODE","subject":s|null,"magic":0}
//                   value {"mode":M}; null value clears it
//   DELETE_SUBJECT  key {"keytype":"DELETE_SUBJECT","subject":s,"magic":0}
//                   value {"subject":s,"version":v}: versions up to v are
//                   soft-deleted
//
// Compaction keeps the latest value per key, which is the registry's state.
// Pure functions; any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "strata/schema/registry_types.h"

namespace strata::schema {

struct schema_version_record {
    std::string subject;
    int32_t version = 0;
    int32_t id = 0;
    schema_definition definition;
    bool deleted = false;
};

struct schema_tombstone_record {
    std::string subject;
    int32_t version = 0;
};

// A subject of nullopt is the global setting; a value of nullopt clears it.
struct config_record {
    std::optional<std::string> subject;
    std::optional<compatibility_level> level;
};

struct mode_record {
    std::optional<std::string> subject;
    std::optional<registry_mode> mode;
};

struct delete_subject_record {
    std::string subject;
    int32_t version = 0;
};

using registry_record = std::variant<schema_version_record, schema_tombstone_record, config_record, mode_record,
                                     delete_subject_record>;

struct encoded_record {
    std::string key;
    std::optional<std::string> value; // nullopt: a tombstone
};

encoded_record encode_record(const registry_record& r);
// Nothing for keys it does not know (NOOP, CLEAR_SUBJECT, ...) or cannot parse.
std::optional<registry_record> decode_record(std::string_view key, std::optional<std::string_view> value);

} // namespace strata::schema
