#include "strata/cluster/topic_table.h"

#include <cctype>

#include <spdlog/spdlog.h>

namespace strata::cluster {

topic_table::topic_table(metadata_store& store, storage::log_manager& logs, config_map broker_props)
    : store_(store), logs_(logs), broker_props_(std::move(broker_props)) {}

bool topic_table::valid_topic_name(std::string_view name) {
    if (name.empty() || name.size() > 249 || name == "." || name == "..") return false;
    for (char c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) return false;
    return true;
}

result<void, errc> topic_table::load(int64_t now_ms) {
    for (auto& rec : store_.load_topics()) {
        auto t = std::make_unique<topic>();
        t->name = rec.name;
        t->id = rec.topic_id;
        for (auto& c : rec.configs) t->configs[c.name] = c.value;
        t->validation = schema_validation_config::resolve(t->name, t->configs, broker_props_);
        if (auto r = open_partitions(*t, 0, rec.partition_count, now_ms); !r) return r;
        topics_.emplace(t->name, std::move(t));
    }
    return {};
}

result<void, errc> topic_table::open_partitions(topic& t, int32_t from, int32_t to, int64_t now_ms) {
    auto cfg = topic_configs::to_log_config(t.configs, broker_props_);
    for (int32_t p = from; p < to; ++p) {
        topic_partition tp{t.name, partition_id(p)};
        storage::log* log = logs_.get(tp);
        if (!log) {
            auto created = logs_.create(tp, cfg, now_ms);
            if (!created) {
                spdlog::error("cannot create log for {}-{}: {}", t.name, p, storage::to_string(created.error()));
                return fail(errc::storage_error);
            }
            log = *created;
        } else {
            log->set_config(cfg);
        }
        t.partitions.push_back(std::make_unique<partition>(tp, *log));
    }
    return {};
}

bool topic_table::persist(const topic& t, int32_t partition_count) {
    kafka::msg::topic_record rec;
    rec.name = t.name;
    rec.topic_id = t.id;
    rec.partition_count = partition_count;
    for (const auto& [k, v] : t.configs) rec.configs.push_back({k, v});
    return store_.put_topic(rec);
}

result<topic*, errc> topic_table::create_topic(const std::string& name, int32_t partitions, config_map configs,
                                              int64_t now_ms) {
    if (!valid_topic_name(name)) return fail(errc::invalid_topic_name);
    if (topics_.contains(name)) return fail(errc::topic_already_exists);
    if (partitions <= 0) return fail(errc::invalid_partitions);
    for (const auto& [k, v] : configs)
        if (topic_configs::validate(k, v)) return fail(errc::invalid_config);
    auto t = std::make_unique<topic>();
    t->name = name;
    t->id = kafka::uuid::random();
    t->configs = std::move(configs);
    t->validation = schema_validation_config::resolve(name, t->configs, broker_props_);
    // Record first, then logs: a crash in between leaves a known topic whose
    // missing logs load() creates, never logs without a topic.
    if (!persist(*t, partitions)) return fail(errc::storage_error);
    if (auto r = open_partitions(*t, 0, partitions, now_ms); !r) return fail(r.error());
    auto* raw = t.get();
    topics_.emplace(name, std::move(t));
    spdlog::info("created topic {} with {} partitions (id {})", name, partitions, raw->id.to_base64());
    return raw;
}

result<void, errc> topic_table::delete_topic(const std::string& name) {
    auto it = topics_.find(name);
    if (it == topics_.end()) return fail(errc::unknown_topic);
    if (!store_.delete_topic(name)) return fail(errc::storage_error);
    auto r = logs_.remove(name);
    topics_.erase(it);
    if (!r) {
        spdlog::error("deleting the logs of topic {} failed: {}", name, storage::to_string(r.error()));
        return fail(errc::storage_error);
    }
    spdlog::info("deleted topic {}", name);
    return {};
}

result<void, errc> topic_table::create_partitions(const std::string& name, int32_t total, int64_t now_ms) {
    auto* t = find(name);
    if (!t) return fail(errc::unknown_topic);
    auto current = int32_t(t->partitions.size());
    if (total <= current) return fail(errc::invalid_partitions);
    auto old = t->partitions.size();
    if (auto r = open_partitions(*t, current, total, now_ms); !r) return r;
    if (!persist(*t, total)) {
        t->partitions.resize(old);
        return fail(errc::storage_error);
    }
    return {};
}

result<void, errc> topic_table::set_configs(const std::string& name, config_map configs) {
    auto* t = find(name);
    if (!t) return fail(errc::unknown_topic);
    for (const auto& [k, v] : configs)
        if (topic_configs::validate(k, v)) return fail(errc::invalid_config);
    auto previous = std::move(t->configs);
    t->configs = std::move(configs);
    if (!persist(*t, int32_t(t->partitions.size()))) {
        t->configs = std::move(previous);
        return fail(errc::storage_error);
    }
    t->validation = schema_validation_config::resolve(t->name, t->configs, broker_props_);
    auto cfg = topic_configs::to_log_config(t->configs, broker_props_);
    for (auto& p : t->partitions) p->log().set_config(cfg);
    return {};
}

topic* topic_table::find(std::string_view name) {
    auto it = topics_.find(name);
    return it == topics_.end() ? nullptr : it->second.get();
}

topic* topic_table::find(const kafka::uuid& id) {
    for (auto& [name, t] : topics_)
        if (t->id == id) return t.get();
    return nullptr;
}

partition* topic_table::find(const topic_partition& tp) {
    auto* t = find(tp.topic);
    if (!t || tp.partition() < 0 || tp.partition() >= int32_t(t->partitions.size())) return nullptr;
    return t->partitions[size_t(tp.partition())].get();
}

} // namespace strata::cluster
