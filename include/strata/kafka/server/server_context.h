#pragma once
// Everything a request handler may use: the broker's identity and settings,
// the topic table, group commit, fetch sessions and producer ids. Built by the
// application at start-up; lives on the broker thread for the process's life.

#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "strata/cluster/broker_directory.h"
#include "strata/cluster/group_commit.h"
#include "strata/cluster/replication_controller.h"
#include "strata/cluster/topic_admin.h"
#include "strata/cluster/topic_table.h"
#include "strata/coordinator/consumer_group_manager.h"
#include "strata/coordinator/group_coordinator.h"
#include "strata/coordinator/offset_store.h"
#include "strata/coordinator/probe.h"
#include "strata/kafka/server/fetch_session_cache.h"
#include "strata/kafka/server/producer_id_allocator.h"
#include "strata/kafka/server/server_probe.h"
#include "strata/schema/produce_validator.h"

namespace strata::kafka::server {

struct broker_identity {
    int32_t node_id = 1;
    std::string host;
    int32_t port = 9092;
    std::optional<std::string> rack;
    std::string cluster_id;
};

struct server_settings {
    bool auto_create_topics_enable = true;
    bool delete_topic_enable = true;
    int32_t num_partitions = 1;
    int16_t default_replication_factor = 1;
    std::string log_dir;
    // replica.selector.class names Kafka's RackAwareReplicaSelector (KIP-392).
    bool rack_aware_replica_selector = false;
};

struct server_context {
    boost::asio::any_io_executor executor;
    broker_identity self;
    server_settings settings;
    // The live brokers and the controller (this broker alone when it runs without etcd).
    cluster::broker_directory& brokers;
    cluster::topic_table& topics;
    // Where topics are created, deleted, grown and reconfigured (etcd in a cluster).
    cluster::topic_admin& topic_admin;
    cluster::group_commit& commits;
    fetch_session_cache& fetch_sessions;
    producer_id_allocator& producer_ids;
    server_probe& probe;
    coordinator::offset_store& offsets;
    coordinator::group_coordinator& groups;
    coordinator::consumer_group_manager& consumer_groups;
    coordinator::probe& group_probe;
    schema::produce_validator& validation;
    // Elections on request (ElectLeaders); null on a single broker.
    cluster::replication_controller* replication = nullptr;
};

} // namespace strata::kafka::server
