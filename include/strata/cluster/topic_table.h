#pragma once
// The table of topics and their partitions as this broker knows them.
// A single broker is its own controller: creating, deleting, growing and
// reconfiguring topics persists the change in the metadata store before it
// takes effect. In a cluster the topics live in etcd: the table is fed by
// what this broker watches there (apply_topic, remove_topic), opens logs for
// the partitions it holds replicas of, and hands creations it cannot decide
// alone (auto-created and internal topics) to the cluster. Lives on the
// broker thread.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "strata/base/result.h"
#include "strata/cluster/errc.h"
#include "strata/cluster/metadata_store.h"
#include "strata/cluster/partition.h"
#include "strata/cluster/schema_validation_config.h"
#include "strata/cluster/topic_config.h"
#include "strata/kafka/protocol/uuid.h"
#include "strata/storage/log_manager.h"

namespace strata::cluster {

struct topic {
    std::string name;
    kafka::uuid id;
    config_map configs;  // overrides only
    schema_validation_config validation;  // resolved from configs whenever they change
    std::vector<std::unique_ptr<partition>> partitions;
    bool internal() const { return name.starts_with("__"); }
};

class topic_table {
public:
    // `self`: this broker's node id.
    topic_table(metadata_store& store, storage::log_manager& logs, config_map broker_props, int32_t self);

    // Single broker: opens every topic the metadata store knows, creating missing logs.
    result<void, errc> load(int64_t now_ms);

    // A single broker creates the topic at once. In a cluster (set_cluster_creator)
    // the creation is handed to the cluster and creation_in_progress returned:
    // the topic appears once the cluster has it, and the caller asks again.
    result<topic*, errc> create_topic(const std::string& name, int32_t partitions, config_map configs,
                                      int64_t now_ms);
    // Single broker only; a cluster changes topics through etcd (topic_admin).
    result<void, errc> delete_topic(const std::string& name);
    result<void, errc> create_partitions(const std::string& name, int32_t total, int64_t now_ms);
    result<void, errc> set_configs(const std::string& name, config_map configs);

    // Cluster: the topic as etcd has it now. A topic of another id under the
    // same name (deleted and created again) is replaced; logs are opened for
    // the partitions this broker holds a replica of.
    void apply_topic(const std::string& name, const kafka::uuid& id, config_map configs,
                     std::vector<partition_assignment> partitions, int64_t now_ms);
    // Cluster: the topic is gone from etcd; its local logs are deleted.
    void remove_topic(const std::string& name);
    using creator = std::function<void(const std::string& name, int32_t partitions, config_map configs)>;
    void set_cluster_creator(creator c) { cluster_creator_ = std::move(c); }
    bool clustered() const { return bool(cluster_creator_); }
    // Told before a log is deleted, so that nothing waiting on it outlives it.
    void on_log_removed(std::function<void(storage::log&)> f) { on_log_removed_ = std::move(f); }
    int32_t self() const { return self_; }

    topic* find(std::string_view name);
    topic* find(const kafka::uuid& id);
    partition* find(const topic_partition& tp);
    const std::map<std::string, std::unique_ptr<topic>, std::less<>>& topics() const { return topics_; }
    const config_map& broker_props() const { return broker_props_; }
    // min.insync.replicas of the topic (its override, else the broker's).
    int32_t min_insync_replicas(const topic& t) const;

    // Kafka's rules: 1-249 characters of [a-zA-Z0-9._-], not "." or "..".
    static bool valid_topic_name(std::string_view name);

private:
    bool persist(const topic& t, int32_t partition_count);
    // Appends partitions numbered from t.partitions.size(), one per assignment.
    // Creates the log of a replica a reassignment placed here, or deletes
    // the one it moved away (`replica_here` false).
    void place_replica(topic& t, partition& p, bool replica_here, int64_t now_ms);
    result<void, errc> open_partitions(topic& t, std::vector<partition_assignment> assignments, int64_t now_ms);
    result<void, errc> remove_logs(topic& t);

    metadata_store& store_;
    storage::log_manager& logs_;
    config_map broker_props_;
    int32_t self_;
    creator cluster_creator_;
    std::function<void(storage::log&)> on_log_removed_;
    std::map<std::string, std::unique_ptr<topic>, std::less<>> topics_;
};

} // namespace strata::cluster
