#pragma once
// Where the admin APIs (CreateTopics, DeleteTopics, CreatePartitions,
// AlterConfigs) change topics: a single broker's own topic table
// (local_topic_admin) or the cluster's metadata in etcd (etcd_topic_admin),
// which every broker then applies. Request handlers see only this interface,
// so they read the same on one broker and on many. Lives on the broker thread.

#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "strata/base/result.h"
#include "strata/cluster/errc.h"
#include "strata/cluster/topic_config.h"
#include "strata/kafka/protocol/uuid.h"

namespace strata::cluster {

class topic_table;

struct new_topic {
    std::string name;
    int32_t partitions = 1;
    int16_t replication_factor = 1;
    // Explicit replica lists, one per partition (then partitions and the
    // replication factor follow from them); empty: placed by the broker.
    std::vector<std::vector<int32_t>> assignments;
    config_map configs;
};

class topic_admin {
public:
    virtual ~topic_admin() = default;
    virtual boost::asio::awaitable<result<kafka::uuid, errc>> create_topic(new_topic t) = 0;
    virtual boost::asio::awaitable<result<void, errc>> delete_topic(std::string name) = 0;
    // Grows the topic to `total` partitions; `assignments` for the new ones, or empty.
    virtual boost::asio::awaitable<result<void, errc>> create_partitions(
        std::string name, int32_t total, std::vector<std::vector<int32_t>> assignments) = 0;
    // Replaces the topic's config overrides.
    virtual boost::asio::awaitable<result<void, errc>> set_configs(std::string name, config_map configs) = 0;
};

// A single broker: the topic table decides at once and keeps it in RocksDB.
class local_topic_admin final : public topic_admin {
public:
    explicit local_topic_admin(topic_table& topics) : topics_(topics) {}
    boost::asio::awaitable<result<kafka::uuid, errc>> create_topic(new_topic t) override;
    boost::asio::awaitable<result<void, errc>> delete_topic(std::string name) override;
    boost::asio::awaitable<result<void, errc>> create_partitions(
        std::string name, int32_t total, std::vector<std::vector<int32_t>> assignments) override;
    boost::asio::awaitable<result<void, errc>> set_configs(std::string name, config_map configs) override;

private:
    topic_table& topics_;
};

} // namespace strata::cluster
