#include "strata/schema/schema_registry.h"

#include <algorithm>
#include <chrono>
#include <set>

#include <spdlog/spdlog.h>

namespace strata::schema {
namespace {

int64_t wall_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

registry_error error(registry_errc code, std::string message) { return {code, std::move(message)}; }

bool same_schema(const stored_schema& stored, const parsed_schema& parsed, const std::vector<schema_reference>& refs) {
    return stored.parsed && stored.parsed->type() == parsed.type() &&
           stored.parsed->canonical_text() == parsed.canonical_text() && stored.definition.references == refs;
}

std::string subject_not_found(std::string_view subject) {
    return "Subject '" + std::string(subject) + "' not found.";
}

} // namespace

schema_registry::schema_registry(cluster::topic_table& topics, cluster::group_commit& commits,
                                 metrics::registry& metrics, format_resolver formats)
    : formats_(std::move(formats)), topic_(topics, commits), probe_(metrics) {}

bool schema_registry::writable_here() {
    auto* p = topic_.partition();
    return !p || p->is_leader();
}

bool schema_registry::catch_up_now() {
    auto* p = topic_.partition();
    if (!p || !p->has_log()) return true;
    auto& log = p->log();
    if (log.log_end_offset() < applied_) {
        // Records applied here were truncated away (this broker led and lost
        // what it had not replicated): start over from what the log has.
        spdlog::warn("{} was truncated below what the registry applied; replaying it", schemas_topic_name);
        store_ = schema_store{};
        applied_ = 0;
    }
    const int64_t limit = p->is_leader() ? write_at_.value_or(log.log_end_offset()) : p->high_watermark();
    if (applied_ >= limit) return true;
    if (!topic_.replay(applied_, limit, [this](const registry_record& r) { store_.apply(r); })) return false;
    applied_ = limit;
    parse_new();
    probe_.update(store_);
    return true;
}

bool schema_registry::load() {
    if (!catch_up_now()) return false;
    if (applied_ > 0)
        spdlog::info("loaded {} schemas of {} subjects from {}", store_.ids().size(), store_.live_subject_count(),
                     schemas_topic_name);
    return true;
}

void schema_registry::parse_new() {
    // IDs in order: a schema's references were registered before it.
    for (int32_t id : store_.ids()) {
        const auto* stored = store_.schema(id);
        if (stored->parsed) continue;
        auto parsed = parse(stored->definition);
        if (parsed)
            store_.set_parsed(id, std::move(*parsed));
        else
            spdlog::warn("schema {} in {} does not parse: {}", id, schemas_topic_name, parsed.error().message);
    }
}

schema_ptr schema_registry::by_id(int32_t id) const {
    const auto* s = store_.schema(id);
    return s ? s->parsed : nullptr;
}

bool schema_registry::registered_under(std::string_view subject, int32_t id) const {
    const auto* vs = store_.versions(subject);
    if (!vs) return false;
    return std::any_of(vs->begin(), vs->end(), [&](const auto& v) { return v.second.id == id && !v.second.deleted; });
}

result<schema_ptr, registry_error> schema_registry::parse(const schema_definition& def) const {
    schema_source source{def.type, def.text, {}};
    // References resolve transitively; a name seen once is not followed again.
    std::vector<schema_reference> pending(def.references.begin(), def.references.end());
    while (!pending.empty()) {
        auto ref = std::move(pending.back());
        pending.pop_back();
        if (source.dependencies.contains(ref.name)) continue;
        const auto* vs = store_.versions(ref.subject);
        auto version = ref.version == -1 ? store_.latest_version(ref.subject, false) : std::optional(ref.version);
        auto it = vs && version ? vs->find(*version) : version_map::const_iterator{};
        if (!vs || !version || it == vs->end())
            return fail(error(registry_errc::invalid_schema, "Invalid schema: reference '" + ref.name +
                                                                 "' names subject '" + ref.subject + "' version " +
                                                                 std::to_string(ref.version) + ", not registered"));
        const auto& target = store_.schema(it->second.id)->definition;
        source.dependencies[ref.name] = target.text;
        pending.insert(pending.end(), target.references.begin(), target.references.end());
    }
    auto parsed = formats_(def.type).parse(source);
    if (!parsed) return fail(error(registry_errc::invalid_schema, "Invalid schema: " + parsed.error()));
    return std::move(*parsed);
}

std::vector<existing_version> schema_registry::live_versions(std::string_view subject) const {
    std::vector<existing_version> out;
    if (const auto* vs = store_.versions(subject))
        for (const auto& [version, v] : *vs)
            if (!v.deleted) out.push_back({version, by_id(v.id)});
    return out;
}

result<void, registry_error> schema_registry::writable(std::string_view subject) const {
    if (store_.effective_mode(subject) == registry_mode::readonly)
        return fail(error(registry_errc::operation_not_permitted,
                          "Subject " + std::string(subject) + " is in read-only mode"));
    return {};
}

result<void, registry_error> schema_registry::not_referenced(std::string_view subject, int32_t version) const {
    auto by = store_.referenced_by(subject, version);
    if (by.empty()) return {};
    std::string ids;
    for (int32_t id : by) ids += (ids.empty() ? "" : ", ") + std::to_string(id);
    return fail(error(registry_errc::reference_exists, "One or more references exist to the schema {subject=" +
                                                           std::string(subject) + ", version=" +
                                                           std::to_string(version) + "}: schemas " + ids));
}

boost::asio::awaitable<result<void, registry_error>> schema_registry::persist(std::vector<registry_record> records) {
    auto* p = topic_.partition();
    write_at_ = p && p->has_log() ? p->log().log_end_offset() : 0;
    const bool written = co_await topic_.append(records, wall_clock_ms());
    write_at_.reset();
    // The records are applied from the log, as every replica applies them.
    catch_up();
    if (!written) co_return fail(error(registry_errc::store_error, "Error while writing to the schemas topic"));
    co_return result<void, registry_error>{};
}

boost::asio::awaitable<result<registered_version, registry_error>> schema_registry::register_schema(
    std::string subject, schema_definition def, std::optional<int32_t> id, std::optional<int32_t> version) {
    auto turn = co_await writes_.wait_turn();
    catch_up();
    if (auto w = writable(subject); !w) co_return fail(w.error());
    const bool importing = store_.effective_mode(subject) == registry_mode::import;
    if ((id || version) && !importing)
        co_return fail(error(registry_errc::operation_not_permitted,
                             "Subject " + subject + " is not in import mode: a schema ID or version cannot be given"));
    auto parsed = parse(def);
    if (!parsed) co_return fail(parsed.error());
    const schema_ptr schema = std::move(*parsed);
    if (const auto* vs = store_.versions(subject)) {
        for (auto it = vs->rbegin(); it != vs->rend(); ++it) {
            const auto* stored = store_.schema(it->second.id);
            if (!it->second.deleted && stored && same_schema(*stored, *schema, def.references))
                co_return registered_version{subject, it->first, it->second.id};
        }
    }
    if (!importing) {
        auto reasons = incompatibilities(formats_(schema->type()), store_.effective_compatibility(subject), *schema,
                                         live_versions(subject));
        if (!reasons.empty()) {
            std::string details;
            for (const auto& r : reasons) details += (details.empty() ? "" : "; ") + r;
            co_return fail(error(registry_errc::incompatible_schema,
                                 "Schema being registered is incompatible with an earlier schema for subject \"" +
                                     subject + "\", details: [" + details + "]"));
        }
    }
    int32_t new_id = id.value_or(store_.id_of(*schema, def.references).value_or(store_.next_id()));
    if (const auto* existing = store_.schema(new_id); id && existing && !same_schema(*existing, *schema, def.references))
        co_return fail(error(registry_errc::operation_not_permitted,
                             "Overwrite new schema with id " + std::to_string(new_id) + " is not permitted."));
    int32_t new_version = version.value_or(store_.latest_version(subject, true).value_or(0) + 1);
    if (const auto* vs = store_.versions(subject); version && vs && vs->contains(new_version))
        co_return fail(error(registry_errc::operation_not_permitted,
                             "Version " + std::to_string(new_version) + " of subject " + subject + " exists"));
    std::vector<registry_record> records;
    records.push_back(schema_version_record{subject, new_version, new_id, std::move(def), false});
    auto written = co_await persist(std::move(records));
    if (!written) co_return fail(written.error());
    store_.set_parsed(new_id, schema);
    co_return registered_version{subject, new_version, new_id};
}

result<registered_version, registry_error> schema_registry::lookup(std::string_view subject,
                                                                   const schema_definition& def,
                                                                   bool include_deleted) const {
    const auto* vs = store_.versions(subject);
    if (!vs || !store_.latest_version(subject, include_deleted))
        return fail(error(registry_errc::subject_not_found, subject_not_found(subject)));
    auto parsed = parse(def);
    if (!parsed) return fail(parsed.error());
    for (auto it = vs->rbegin(); it != vs->rend(); ++it) {
        const auto* stored = store_.schema(it->second.id);
        if ((include_deleted || !it->second.deleted) && stored && same_schema(*stored, **parsed, def.references))
            return registered_version{std::string(subject), it->first, it->second.id};
    }
    return fail(error(registry_errc::schema_not_found, "Schema not found"));
}

boost::asio::awaitable<result<std::vector<int32_t>, registry_error>> schema_registry::delete_subject(
    std::string subject, bool permanent) {
    auto turn = co_await writes_.wait_turn();
    catch_up();
    const auto* vs = store_.versions(subject);
    if (!vs) co_return fail(error(registry_errc::subject_not_found, subject_not_found(subject)));
    if (auto w = writable(subject); !w) co_return fail(w.error());
    const bool live = store_.latest_version(subject, false).has_value();
    if (!permanent && !live)
        co_return fail(error(registry_errc::subject_soft_deleted,
                             "Subject '" + subject + "' was soft deleted.Set permanent=true to delete permanently"));
    if (permanent && live)
        co_return fail(error(registry_errc::subject_not_soft_deleted,
                             "Subject '" + subject + "' was not deleted first before being permanently deleted"));
    std::vector<int32_t> deleted;
    std::vector<registry_record> records;
    for (const auto& [version, v] : *vs) {
        if (!permanent && v.deleted) continue;
        if (auto r = not_referenced(subject, version); !r) co_return fail(r.error());
        deleted.push_back(version);
        if (permanent)
            records.push_back(schema_tombstone_record{subject, version});
        else
            records.push_back(schema_version_record{subject, version, v.id, store_.schema(v.id)->definition, true});
    }
    if (!permanent) {
        records.push_back(delete_subject_record{subject, deleted.back()});
    } else {
        // A permanently deleted subject forgets its settings too.
        if (store_.compatibility(subject)) records.push_back(config_record{subject, std::nullopt});
        if (store_.mode(subject)) records.push_back(mode_record{subject, std::nullopt});
    }
    auto written = co_await persist(std::move(records));
    if (!written) co_return fail(written.error());
    co_return deleted;
}

boost::asio::awaitable<result<int32_t, registry_error>> schema_registry::delete_version(std::string subject,
                                                                                       int32_t version,
                                                                                       bool permanent) {
    auto turn = co_await writes_.wait_turn();
    catch_up();
    const auto* vs = store_.versions(subject);
    if (!vs) co_return fail(error(registry_errc::subject_not_found, subject_not_found(subject)));
    auto it = vs->find(version);
    if (it == vs->end())
        co_return fail(error(registry_errc::version_not_found, "Version " + std::to_string(version) + " not found."));
    if (auto w = writable(subject); !w) co_return fail(w.error());
    const auto v = it->second;
    if (!permanent && v.deleted)
        co_return fail(error(registry_errc::version_soft_deleted,
                             "Subject '" + subject + "' Version " + std::to_string(version) +
                                 " was soft deleted.Set permanent=true to delete permanently"));
    if (permanent && !v.deleted)
        co_return fail(error(registry_errc::version_not_soft_deleted,
                             "Subject '" + subject + "' Version " + std::to_string(version) +
                                 " was not deleted first before being permanently deleted"));
    if (auto r = not_referenced(subject, version); !r) co_return fail(r.error());
    std::vector<registry_record> records;
    if (permanent)
        records.push_back(schema_tombstone_record{subject, version});
    else
        records.push_back(schema_version_record{subject, version, v.id, store_.schema(v.id)->definition, true});
    auto written = co_await persist(std::move(records));
    if (!written) co_return fail(written.error());
    co_return version;
}

boost::asio::awaitable<result<void, registry_error>> schema_registry::set_compatibility(
    std::optional<std::string> subject, std::optional<compatibility_level> level) {
    auto turn = co_await writes_.wait_turn();
    catch_up();
    std::vector<registry_record> records;
    records.push_back(config_record{std::move(subject), level});
    co_return co_await persist(std::move(records));
}

boost::asio::awaitable<result<void, registry_error>> schema_registry::set_mode(std::optional<std::string> subject,
                                                                               std::optional<registry_mode> mode,
                                                                               bool force) {
    auto turn = co_await writes_.wait_turn();
    catch_up();
    if (mode == registry_mode::import && !force) {
        bool has_schemas = subject ? store_.versions(*subject) != nullptr : !store_.subjects(true).empty();
        if (has_schemas)
            co_return fail(error(registry_errc::operation_not_permitted,
                                 "Cannot import since found existing subjects"));
    }
    std::vector<registry_record> records;
    records.push_back(mode_record{std::move(subject), mode});
    co_return co_await persist(std::move(records));
}

result<std::vector<std::string>, registry_error> schema_registry::check_compatibility(
    std::string_view subject, std::optional<int32_t> version, const schema_definition& def) const {
    auto parsed = parse(def);
    if (!parsed) return fail(parsed.error());
    auto level = store_.effective_compatibility(subject);
    auto existing = live_versions(subject);
    if (version) {
        const auto* vs = store_.versions(subject);
        auto it = vs ? vs->find(*version) : version_map::const_iterator{};
        if (!vs) return fail(error(registry_errc::subject_not_found, subject_not_found(subject)));
        if (it == vs->end() || it->second.deleted)
            return fail(error(registry_errc::version_not_found, "Version " + std::to_string(*version) + " not found."));
        existing = {existing_version{*version, by_id(it->second.id)}};
    }
    return incompatibilities(formats_((*parsed)->type()), level, **parsed, existing);
}

} // namespace strata::schema
