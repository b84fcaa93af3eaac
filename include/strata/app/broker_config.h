#pragma once
// The broker's configuration, read from server.properties with Kafka's key
// names and defaults. Unknown keys are kept (DescribeConfigs shows them) and
// logged, as Kafka does; malformed values of known keys are an error.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "strata/app/properties.h"
#include "strata/base/result.h"

namespace strata::app {

struct listener {
    std::string name;  // PLAINTEXT
    std::string host;  // empty: all interfaces
    uint16_t port = 0;
};

struct broker_config {
    int32_t node_id = 1;
    std::vector<listener> listeners;
    std::vector<listener> advertised_listeners;
    std::string log_dir = "./data";
    // The HTTP listener for /metrics; admin.listeners= (empty) disables it.
    bool admin_enabled = true;
    std::string admin_host = "0.0.0.0";
    uint16_t admin_port = 9644;
    // Confluent Schema Registry's REST API; schema.registry.listeners= (empty) disables it.
    bool schema_registry_enabled = true;
    std::string schema_registry_host = "0.0.0.0";
    uint16_t schema_registry_port = 8081;
    int32_t num_partitions = 1;
    int16_t default_replication_factor = 1;
    bool auto_create_topics_enable = true;
    bool delete_topic_enable = true;
    uint32_t socket_request_max_bytes = 104857600;
    uint32_t max_connections = UINT32_MAX;
    uint32_t max_connections_per_ip = UINT32_MAX;
    // max.connections.per.ip.overrides: "host:count,..." (host a name or an address).
    std::vector<std::pair<std::string, uint32_t>> max_connections_per_ip_overrides;
    int64_t connections_max_idle_ms = 600000;
    int64_t retention_check_interval_ms = 300000;
    // The log cleaner (compaction of cleanup.policy=compact topics).
    bool log_cleaner_enable = true;                           // log.cleaner.enable
    int64_t log_cleaner_backoff_ms = 15000;                   // log.cleaner.backoff.ms
    int64_t log_cleaner_dedupe_buffer_size = 134217728;       // log.cleaner.dedupe.buffer.size
    int32_t offsets_topic_num_partitions = 50;
    // Replicas of __consumer_offsets in a cluster; it is not created while
    // fewer brokers are alive (FindCoordinator: COORDINATOR_NOT_AVAILABLE), as in Kafka.
    int16_t offsets_topic_replication_factor = 3;  // offsets.topic.replication.factor
    int32_t offsets_commit_timeout_ms = 5000;       // offsets.commit.timeout.ms
    // Replicas of _schemas in a cluster (Confluent's kafkastore.topic.replication.factor).
    int16_t schema_registry_topic_replication_factor = 3;  // schema.registry.topic.replication.factor
    // replica.selector.class set to Kafka's RackAwareReplicaSelector: consumers
    // that name their rack read from an in-sync replica there (KIP-392).
    bool rack_aware_replica_selector = false;
    int32_t offsets_retention_minutes = 10080;               // offsets.retention.minutes
    int64_t offsets_retention_check_interval_ms = 600000;    // offsets.retention.check.interval.ms
    int32_t consumer_session_timeout_ms = 45000;    // group.consumer.session.timeout.ms
    int32_t consumer_heartbeat_interval_ms = 5000;  // group.consumer.heartbeat.interval.ms
    // The classic group protocol (Kafka's names and defaults).
    int32_t group_initial_rebalance_delay_ms = 3000;  // group.initial.rebalance.delay.ms
    int32_t group_min_session_timeout_ms = 6000;      // group.min.session.timeout.ms
    int32_t group_max_session_timeout_ms = 1800000;   // group.max.session.timeout.ms
    int32_t group_max_size = INT32_MAX;               // group.max.size
    // A cluster: metadata in etcd (empty: a single broker with its own metadata store).
    std::string metadata_etcd_endpoints;                    // metadata.etcd.endpoints
    std::string metadata_etcd_prefix = "/strata";           // metadata.etcd.prefix
    int64_t metadata_etcd_request_timeout_ms = 5000;        // metadata.etcd.request.timeout.ms
    int64_t broker_session_timeout_ms = 9000;               // broker.session.timeout.ms
    int64_t broker_heartbeat_interval_ms = 2000;            // broker.heartbeat.interval.ms
    // Replication (Kafka's names and defaults).
    int64_t replica_lag_time_max_ms = 30000;                // replica.lag.time.max.ms
    int32_t replica_fetch_wait_max_ms = 500;                // replica.fetch.wait.max.ms
    int32_t replica_fetch_max_bytes = 1048576;              // replica.fetch.max.bytes
    int32_t replica_fetch_response_max_bytes = 10485760;    // replica.fetch.response.max.bytes
    int32_t replica_socket_timeout_ms = 30000;              // replica.socket.timeout.ms
    int32_t replica_fetch_backoff_ms = 1000;                // replica.fetch.backoff.ms
    int64_t replica_high_watermark_checkpoint_interval_ms = 5000;  // replica.high.watermark.checkpoint.interval.ms
    bool auto_leader_rebalance_enable = true;               // auto.leader.rebalance.enable
    int64_t leader_imbalance_check_interval_seconds = 300;  // leader.imbalance.check.interval.seconds
    int32_t leader_imbalance_per_broker_percentage = 10;    // leader.imbalance.per.broker.percentage
    std::string log_level = "info";
    // Every property as given (file, then overrides): the source of topic defaults.
    properties raw;
};

struct config_error {
    std::string message;
};

result<broker_config, config_error> load_broker_config(const properties& props);
result<std::vector<listener>, config_error> parse_listeners(const std::string& value);
// Kafka's "host:count,host:count" list (the count after the last colon, so
// IPv6 addresses need no brackets).
result<std::vector<std::pair<std::string, uint32_t>>, config_error> parse_per_ip_overrides(const std::string& value);

} // namespace strata::app
