#pragma once
// The embedded schema registry: Confluent Schema Registry's rules over the
// state in schema_store, made durable in _schemas. Registration (global IDs
// shared by identical schemas, versions per subject, compatibility levels,
// modes), lookup, soft and hard deletes, settings. Reads answer from memory;
// each write takes its turn, appends its records durably, then applies them.
// It is also the schema_lookup that produce-time validation uses.
// Owned by the broker; broker thread.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "strata/base/result.h"
#include "strata/schema/compatibility.h"
#include "strata/schema/registry_error.h"
#include "strata/schema/registry_probe.h"
#include "strata/schema/schema_lookup.h"
#include "strata/schema/schema_store.h"
#include "strata/schema/schemas_topic.h"
#include "strata/schema/write_queue.h"

namespace strata::schema {

struct registered_version {
    std::string subject;
    int32_t version = 0;
    int32_t id = 0;
};

class schema_registry final : public schema_lookup {
public:
    // The format of each schema type: format_for, or a fake in unit tests.
    using format_resolver = std::function<const format&(schema_type)>;

    schema_registry(cluster::topic_table& topics, cluster::group_commit& commits, metrics::registry& metrics,
                    format_resolver formats = format_for);

    // Replays _schemas and parses every schema; false when it cannot be read.
    bool load();
    // Applies what _schemas holds beyond what was applied: up to the high
    // watermark where this broker follows the partition, up to the log end
    // where it leads it (its log is the registry's truth then) except a write
    // still in flight. A replica whose log was truncated below what was
    // applied starts over. Cheap when nothing is new.
    void catch_up() override { (void)catch_up_now(); }
    bool catch_up_now();
    // The offset after the last record applied: a broker that forwarded a
    // write waits until its own state has it.
    int64_t applied_offset() const { return applied_; }
    // Whether this broker takes writes: it leads _schemas, or the topic does
    // not exist here yet.
    bool writable_here();
    schemas_topic& topic() { return topic_; }
    const schema_store& store() const { return store_; }

    // schema_lookup
    schema_ptr by_id(int32_t id) const override;
    bool registered_under(std::string_view subject, int32_t id) const override;

    // POST /subjects/{s}/versions. `id` and `version` are accepted in IMPORT
    // mode only. An identical schema already live under the subject answers
    // with its existing version.
    boost::asio::awaitable<result<registered_version, registry_error>> register_schema(
        std::string subject, schema_definition def, std::optional<int32_t> id = std::nullopt,
        std::optional<int32_t> version = std::nullopt);
    // POST /subjects/{s}: the version of the subject holding this schema.
    result<registered_version, registry_error> lookup(std::string_view subject, const schema_definition& def,
                                                      bool include_deleted) const;
    // The versions deleted.
    boost::asio::awaitable<result<std::vector<int32_t>, registry_error>> delete_subject(std::string subject,
                                                                                       bool permanent);
    boost::asio::awaitable<result<int32_t, registry_error>> delete_version(std::string subject, int32_t version,
                                                                           bool permanent);
    // A subject of nullopt is the global setting; a level of nullopt clears it.
    boost::asio::awaitable<result<void, registry_error>> set_compatibility(std::optional<std::string> subject,
                                                                           std::optional<compatibility_level> level);
    boost::asio::awaitable<result<void, registry_error>> set_mode(std::optional<std::string> subject,
                                                                  std::optional<registry_mode> mode, bool force);
    // Why `def` could not be registered under `subject`: checked against
    // `version` only, or (nullopt) against what the subject's level demands.
    result<std::vector<std::string>, registry_error> check_compatibility(std::string_view subject,
                                                                         std::optional<int32_t> version,
                                                                         const schema_definition& def) const;
    // Parses a schema with its references resolved, transitively.
    result<schema_ptr, registry_error> parse(const schema_definition& def) const;

private:
    // Appends the records durably, then applies them; 50001 when the disk fails.
    boost::asio::awaitable<result<void, registry_error>> persist(std::vector<registry_record> records);
    result<void, registry_error> writable(std::string_view subject) const;
    result<void, registry_error> not_referenced(std::string_view subject, int32_t version) const;
    std::vector<existing_version> live_versions(std::string_view subject) const;

    // Parses the schemas applied but not parsed yet.
    void parse_new();

    format_resolver formats_;
    schema_store store_;
    int64_t applied_ = 0;
    // Where the write being made durable and committed starts: not applied before it is.
    std::optional<int64_t> write_at_;
    schemas_topic topic_;
    write_queue writes_;
    registry_probe probe_;
};

} // namespace strata::schema
