#pragma once
// The registry's state in memory: subjects and their versions, schemas by
// global ID, compatibility and mode settings. It changes only by applying
// _schemas records (schema_records.h), the same way at start-up replay and
// after a durable write, so the topic and this view cannot disagree. No I/O,
// no rules: the registry decides what may be written. Owned by the registry;
// broker thread.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "strata/schema/format.h"
#include "strata/schema/registry_types.h"
#include "strata/schema/schema_records.h"

namespace strata::schema {

struct subject_version {
    int32_t id = 0;
    bool deleted = false; // soft-deleted
};

// A subject's versions, by version number; hard-deleted ones are gone.
using version_map = std::map<int32_t, subject_version>;

struct stored_schema {
    schema_definition definition;
    schema_ptr parsed; // null until parsed
};

struct subject_version_ref {
    std::string subject;
    int32_t version = 0;
};

class schema_store {
public:
    void apply(const registry_record& r);
    // Remembers the parsed form of schema `id` and indexes its identity, so an
    // identical schema registered later reuses the ID.
    void set_parsed(int32_t id, schema_ptr parsed);

    const version_map* versions(std::string_view subject) const;
    // Subjects with a live version; with soft-deleted ones too when asked.
    std::vector<std::string> subjects(bool include_deleted) const;
    std::optional<int32_t> latest_version(std::string_view subject, bool include_deleted) const;
    // The schema with this ID while some version (live or soft-deleted) has it.
    const stored_schema* schema(int32_t id) const;
    // The ID of an identical schema (type, canonical text, references) ever
    // registered here, also one whose versions are all deleted.
    std::optional<int32_t> id_of(const parsed_schema& parsed, const std::vector<schema_reference>& refs) const;
    int32_t next_id() const { return max_id_ + 1; }
    std::vector<subject_version_ref> versions_with_id(int32_t id, bool include_deleted) const;
    // The IDs of the versions whose references name subject/version.
    std::vector<int32_t> referenced_by(std::string_view subject, int32_t version) const;
    // Every ID with a version, for parsing after replay.
    std::vector<int32_t> ids() const;

    std::optional<compatibility_level> compatibility(const std::optional<std::string>& subject) const;
    std::optional<registry_mode> mode(const std::optional<std::string>& subject) const;
    // The subject's setting, else the global one, else the default.
    compatibility_level effective_compatibility(std::string_view subject) const;
    registry_mode effective_mode(std::string_view subject) const;

    size_t live_subject_count() const;
    size_t live_schema_count() const;

private:
    void put_version(const schema_version_record& r);
    void remove_version(const std::string& subject, int32_t version);
    void release(int32_t id);

    std::map<std::string, version_map, std::less<>> subjects_;
    std::map<int32_t, stored_schema> schemas_;
    // Versions (of any subject, not hard-deleted) per ID.
    std::map<int32_t, int> uses_;
    std::map<std::string, int32_t> identities_;
    int32_t max_id_ = 0;
    std::optional<compatibility_level> global_level_;
    std::optional<registry_mode> global_mode_;
    std::map<std::string, compatibility_level, std::less<>> subject_levels_;
    std::map<std::string, registry_mode, std::less<>> subject_modes_;
};

} // namespace strata::schema
