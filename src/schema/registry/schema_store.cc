#include "strata/schema/schema_store.h"

#include <algorithm>

namespace strata::schema {
namespace {

std::string identity(const parsed_schema& parsed, const std::vector<schema_reference>& refs) {
    std::string key(to_string(parsed.type()));
    key += '\0';
    key += parsed.canonical_text();
    for (const auto& r : refs) {
        key += '\0';
        key += r.name + '\0' + r.subject + '\0' + std::to_string(r.version);
    }
    return key;
}

template<class Map>
auto setting(const Map& per_subject, const std::optional<std::string>& subject,
             const std::optional<typename Map::mapped_type>& global) -> std::optional<typename Map::mapped_type> {
    if (!subject) return global;
    auto it = per_subject.find(*subject);
    if (it == per_subject.end()) return std::nullopt;
    return it->second;
}

template<class Map, class T>
void set_setting(Map& per_subject, const std::optional<std::string>& subject, std::optional<T>& global,
                 const std::optional<T>& value) {
    if (!subject) {
        global = value;
    } else if (value) {
        per_subject[*subject] = *value;
    } else if (auto it = per_subject.find(*subject); it != per_subject.end()) {
        per_subject.erase(it);
    }
}

} // namespace

void schema_store::apply(const registry_record& r) {
    if (auto* v = std::get_if<schema_version_record>(&r)) {
        put_version(*v);
    } else if (auto* t = std::get_if<schema_tombstone_record>(&r)) {
        remove_version(t->subject, t->version);
    } else if (auto* c = std::get_if<config_record>(&r)) {
        set_setting(subject_levels_, c->subject, global_level_, c->level);
    } else if (auto* m = std::get_if<mode_record>(&r)) {
        set_setting(subject_modes_, m->subject, global_mode_, m->mode);
    } else if (auto* d = std::get_if<delete_subject_record>(&r)) {
        auto it = subjects_.find(d->subject);
        if (it == subjects_.end()) return;
        for (auto& [version, v] : it->second)
            if (version <= d->version) v.deleted = true;
    }
}

void schema_store::put_version(const schema_version_record& r) {
    auto& versions = subjects_[r.subject];
    auto [it, inserted] = versions.try_emplace(r.version, subject_version{r.id, r.deleted});
    if (!inserted) {
        // A soft delete rewrites the version; a changed ID would be a foreign
        // writer's doing: the latest record wins, as compaction would have it.
        if (it->second.id != r.id) {
            release(it->second.id);
            ++uses_[r.id];
        }
        it->second = subject_version{r.id, r.deleted};
    } else {
        ++uses_[r.id];
    }
    if (!schemas_.contains(r.id)) schemas_[r.id] = stored_schema{r.definition, nullptr};
    max_id_ = std::max(max_id_, r.id);
}

void schema_store::remove_version(const std::string& subject, int32_t version) {
    auto it = subjects_.find(subject);
    if (it == subjects_.end()) return;
    auto v = it->second.find(version);
    if (v == it->second.end()) return;
    release(v->second.id);
    it->second.erase(v);
    if (it->second.empty()) subjects_.erase(it);
}

void schema_store::release(int32_t id) {
    if (auto u = uses_.find(id); u != uses_.end() && --u->second <= 0) uses_.erase(u);
}

void schema_store::set_parsed(int32_t id, schema_ptr parsed) {
    auto it = schemas_.find(id);
    if (it == schemas_.end() || !parsed) return;
    identities_.try_emplace(identity(*parsed, it->second.definition.references), id);
    it->second.parsed = std::move(parsed);
}

const version_map* schema_store::versions(std::string_view subject) const {
    auto it = subjects_.find(subject);
    return it == subjects_.end() ? nullptr : &it->second;
}

std::vector<std::string> schema_store::subjects(bool include_deleted) const {
    std::vector<std::string> out;
    for (const auto& [name, versions] : subjects_) {
        bool live = std::any_of(versions.begin(), versions.end(), [](const auto& v) { return !v.second.deleted; });
        if (live || include_deleted) out.push_back(name);
    }
    return out;
}

std::optional<int32_t> schema_store::latest_version(std::string_view subject, bool include_deleted) const {
    const auto* vs = versions(subject);
    if (!vs) return std::nullopt;
    for (auto it = vs->rbegin(); it != vs->rend(); ++it)
        if (include_deleted || !it->second.deleted) return it->first;
    return std::nullopt;
}

const stored_schema* schema_store::schema(int32_t id) const {
    if (!uses_.contains(id)) return nullptr;
    auto it = schemas_.find(id);
    return it == schemas_.end() ? nullptr : &it->second;
}

std::optional<int32_t> schema_store::id_of(const parsed_schema& parsed,
                                           const std::vector<schema_reference>& refs) const {
    auto it = identities_.find(identity(parsed, refs));
    if (it == identities_.end()) return std::nullopt;
    return it->second;
}

std::vector<subject_version_ref> schema_store::versions_with_id(int32_t id, bool include_deleted) const {
    std::vector<subject_version_ref> out;
    for (const auto& [name, versions] : subjects_)
        for (const auto& [version, v] : versions)
            if (v.id == id && (include_deleted || !v.deleted)) out.push_back({name, version});
    return out;
}

std::vector<int32_t> schema_store::referenced_by(std::string_view subject, int32_t version) const {
    std::vector<int32_t> out;
    for (const auto& [name, versions] : subjects_) {
        for (const auto& [v, entry] : versions) {
            const auto& refs = schemas_.at(entry.id).definition.references;
            bool refers = std::any_of(refs.begin(), refs.end(),
                                      [&](const auto& r) { return r.subject == subject && r.version == version; });
            if (refers && std::find(out.begin(), out.end(), entry.id) == out.end()) out.push_back(entry.id);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<int32_t> schema_store::ids() const {
    std::vector<int32_t> out;
    for (const auto& [id, n] : uses_) out.push_back(id);
    return out;
}

std::optional<compatibility_level> schema_store::compatibility(const std::optional<std::string>& subject) const {
    return setting(subject_levels_, subject, global_level_);
}

std::optional<registry_mode> schema_store::mode(const std::optional<std::string>& subject) const {
    return setting(subject_modes_, subject, global_mode_);
}

compatibility_level schema_store::effective_compatibility(std::string_view subject) const {
    if (auto it = subject_levels_.find(subject); it != subject_levels_.end()) return it->second;
    return global_level_.value_or(compatibility_level::backward);
}

registry_mode schema_store::effective_mode(std::string_view subject) const {
    if (auto it = subject_modes_.find(subject); it != subject_modes_.end()) return it->second;
    return global_mode_.value_or(registry_mode::readwrite);
}

size_t schema_store::live_subject_count() const { return subjects(false).size(); }

size_t schema_store::live_schema_count() const { return uses_.size(); }

} // namespace strata::schema
