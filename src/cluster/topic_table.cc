#include "strata/cluster/topic_table.h"

#include <algorithm>
#include <cctype>

#include <spdlog/spdlog.h>

namespace strata::cluster {

topic_table::topic_table(metadata_store& store, storage::log_manager& logs, config_map broker_props, int32_t self)
    : store_(store), logs_(logs), broker_props_(std::move(broker_props)), self_(self) {}

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
        if (auto r = open_partitions(*t, std::vector(size_t(rec.partition_count), partition_assignment::sole(self_)),
                                     now_ms);
            !r)
            return r;
        topics_.emplace(t->name, std::move(t));
    }
    return {};
}

result<void, errc> topic_table::open_partitions(topic& t, std::vector<partition_assignment> assignments,
                                                int64_t now_ms) {
    auto cfg = topic_configs::to_log_config(t.configs, broker_props_);
    bool failed = false;
    for (auto& assignment : assignments) {
        const auto p = int32_t(t.partitions.size());
        topic_partition tp{t.name, partition_id(p)};
        const bool replica = std::ranges::find(assignment.replicas, self_) != assignment.replicas.end();
        if (!replica) {
            t.partitions.push_back(std::make_unique<partition>(tp, nullptr, std::move(assignment), self_, now_ms));
            continue;
        }
        storage::log* log = logs_.get(tp);
        if (!log) {
            auto created = logs_.create(tp, cfg, now_ms);
            if (!created) {
                spdlog::error("cannot create log for {}-{}: {}", t.name, p, storage::to_string(created.error()));
                // In a cluster the partition stays known, without a replica here.
                if (!clustered()) return fail(errc::storage_error);
                t.partitions.push_back(std::make_unique<partition>(tp, nullptr, std::move(assignment), self_, now_ms));
                failed = true;
                continue;
            }
            log = *created;
        } else {
            log->set_config(cfg);
        }
        const int64_t checkpointed = logs_.take_checkpointed_high_watermark(tp);
        t.partitions.push_back(std::make_unique<partition>(tp, log, std::move(assignment), self_, now_ms, checkpointed));
    }
    if (failed) return fail(errc::storage_error);
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
    if (cluster_creator_) {
        cluster_creator_(name, partitions, std::move(configs));
        return fail(errc::creation_in_progress);
    }
    auto t = std::make_unique<topic>();
    t->name = name;
    t->id = kafka::uuid::random();
    t->configs = std::move(configs);
    t->validation = schema_validation_config::resolve(name, t->configs, broker_props_);
    // Record first, then logs: a crash in between leaves a known topic whose
    // missing logs load() creates, never logs without a topic.
    if (!persist(*t, partitions)) return fail(errc::storage_error);
    if (auto r = open_partitions(*t, std::vector(size_t(partitions), partition_assignment::sole(self_)), now_ms); !r)
        return fail(r.error());
    auto* raw = t.get();
    topics_.emplace(name, std::move(t));
    spdlog::info("created topic {} with {} partitions (id {})", name, partitions, raw->id.to_base64());
    return raw;
}

result<void, errc> topic_table::delete_topic(const std::string& name) {
    auto it = topics_.find(name);
    if (it == topics_.end()) return fail(errc::unknown_topic);
    if (!store_.delete_topic(name)) return fail(errc::storage_error);
    auto r = remove_logs(*it->second);
    topics_.erase(it);
    if (!r) return r;
    spdlog::info("deleted topic {}", name);
    return {};
}

result<void, errc> topic_table::remove_logs(topic& t) {
    for (auto& p : t.partitions)
        if (p->has_log() && on_log_removed_) on_log_removed_(p->log());
    if (auto r = logs_.remove(t.name); !r) {
        spdlog::error("deleting the logs of topic {} failed: {}", t.name, storage::to_string(r.error()));
        return fail(errc::storage_error);
    }
    return {};
}

void topic_table::apply_topic(const std::string& name, const kafka::uuid& id, config_map configs,
                              std::vector<partition_assignment> partitions, int64_t now_ms) {
    auto it = topics_.find(name);
    if (it != topics_.end() && it->second->id != id) {
        spdlog::info("topic {} was deleted and created again (id {})", name, id.to_base64());
        remove_topic(name);
        it = topics_.end();
    }
    if (it == topics_.end()) {
        auto t = std::make_unique<topic>();
        t->name = name;
        t->id = id;
        it = topics_.emplace(name, std::move(t)).first;
        spdlog::info("topic {} (id {}) with {} partitions", name, id.to_base64(), partitions.size());
    }
    topic& t = *it->second;
    if (t.configs != configs || t.partitions.empty()) {
        t.configs = std::move(configs);
        t.validation = schema_validation_config::resolve(t.name, t.configs, broker_props_);
        auto cfg = topic_configs::to_log_config(t.configs, broker_props_);
        for (auto& p : t.partitions)
            if (p->has_log()) p->log().set_config(cfg);
    }
    const size_t known = std::min(t.partitions.size(), partitions.size());
    for (size_t i = 0; i < known; ++i) {
        auto& p = *t.partitions[i];
        if (p.assignment() == partitions[i]) continue;
        place_replica(t, p, std::ranges::find(partitions[i].replicas, self_) != partitions[i].replicas.end(), now_ms);
        p.set_assignment(std::move(partitions[i]), now_ms);
    }
    if (partitions.size() > known) {
        std::vector<partition_assignment> added(std::make_move_iterator(partitions.begin() + ptrdiff_t(known)),
                                                std::make_move_iterator(partitions.end()));
        // A log that cannot open (out of descriptors, disk) leaves the
        // partition without a replica here; the error is logged, the rest serves.
        if (auto r = open_partitions(t, std::move(added), now_ms); !r)
            spdlog::error("topic {}: not every partition could be opened here", name);
    }
}

void topic_table::place_replica(topic& t, partition& p, bool replica_here, int64_t now_ms) {
    if (replica_here && !p.has_log()) {
        auto created = logs_.create(p.id(), topic_configs::to_log_config(t.configs, broker_props_), now_ms);
        if (!created) {
            spdlog::error("cannot create log for {}-{}: {}", t.name, p.id().partition(),
                          storage::to_string(created.error()));
            return;
        }
        spdlog::info("{}-{}: a replica is placed on this broker", t.name, p.id().partition());
        p.set_log(*created);
    } else if (!replica_here && p.has_log()) {
        spdlog::info("{}-{}: the replica moved away from this broker; deleting its log", t.name, p.id().partition());
        if (on_log_removed_) on_log_removed_(p.log());
        p.set_log(nullptr);
        if (auto r = logs_.remove_partition(p.id()); !r)
            spdlog::error("deleting the log of {}-{} failed: {}", t.name, p.id().partition(), storage::to_string(r.error()));
    }
}

void topic_table::remove_topic(const std::string& name) {
    auto it = topics_.find(name);
    if (it == topics_.end()) return;
    (void)remove_logs(*it->second);
    topics_.erase(it);
    spdlog::info("deleted topic {}", name);
}

result<void, errc> topic_table::create_partitions(const std::string& name, int32_t total, int64_t now_ms) {
    auto* t = find(name);
    if (!t) return fail(errc::unknown_topic);
    auto current = int32_t(t->partitions.size());
    if (total <= current) return fail(errc::invalid_partitions);
    auto old = t->partitions.size();
    if (auto r = open_partitions(*t, std::vector(size_t(total - current), partition_assignment::sole(self_)), now_ms);
        !r)
        return r;
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
    for (auto& p : t->partitions)
        if (p->has_log()) p->log().set_config(cfg);
    return {};
}

int32_t topic_table::min_insync_replicas(const topic& t) const {
    static const auto* def = topic_configs::find("min.insync.replicas");
    // The value was validated as an int32 when it was set.
    return std::stoi(topic_configs::resolve(*def, t.configs, broker_props_).value);
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
