#pragma once
// The single-node controller: the table of topics and their partitions.
// Creating, deleting, growing and reconfiguring topics persists the change in
// the metadata store before it takes effect. Lives on the broker thread.

#include <cstdint>
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
    topic_table(metadata_store& store, storage::log_manager& logs, config_map broker_props);

    // Opens every topic the metadata store knows, creating missing logs.
    result<void, errc> load(int64_t now_ms);

    result<topic*, errc> create_topic(const std::string& name, int32_t partitions, config_map configs,
                                      int64_t now_ms);
    result<void, errc> delete_topic(const std::string& name);
    result<void, errc> create_partitions(const std::string& name, int32_t total, int64_t now_ms);
    result<void, errc> set_configs(const std::string& name, config_map configs);

    topic* find(std::string_view name);
    topic* find(const kafka::uuid& id);
    partition* find(const topic_partition& tp);
    const std::map<std::string, std::unique_ptr<topic>, std::less<>>& topics() const { return topics_; }
    const config_map& broker_props() const { return broker_props_; }

    // Kafka's rules: 1-249 characters of [a-zA-Z0-9._-], not "." or "..".
    static bool valid_topic_name(std::string_view name);

private:
    bool persist(const topic& t, int32_t partition_count);
    result<void, errc> open_partitions(topic& t, int32_t from, int32_t to, int64_t now_ms);

    metadata_store& store_;
    storage::log_manager& logs_;
    config_map broker_props_;
    std::map<std::string, std::unique_ptr<topic>, std::less<>> topics_;
};

} // namespace strata::cluster
