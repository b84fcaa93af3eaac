#pragma once
// The whole broker, wired: metadata store, logs, topic table, group commit,
// the schema registry, the Kafka listeners, the metrics and registry endpoints, all driven by one io_context
// thread (plus the flusher thread of group commit and the metrics exposer's
// threads). Owned by main().

#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "strata/app/broker_config.h"
#include "strata/app/cleaner_probe.h"
#include "strata/app/cluster_probe.h"
#include "strata/app/replication_probe.h"
#include "strata/cluster/broker_directory.h"
#include "strata/cluster/cluster_membership.h"
#include "strata/cluster/cluster_topic_state.h"
#include "strata/cluster/etcd/etcd_client.h"
#include "strata/cluster/etcd_topic_admin.h"
#include "strata/cluster/replica_fetcher.h"
#include "strata/cluster/replication_controller.h"
#include "strata/cluster/topic_admin.h"
#include "strata/cluster/group_commit.h"
#include "strata/cluster/metadata_store.h"
#include "strata/cluster/topic_table.h"
#include "strata/coordinator/consumer_group_manager.h"
#include "strata/coordinator/group_coordinator.h"
#include "strata/coordinator/group_leadership.h"
#include "strata/coordinator/offset_expiry.h"
#include "strata/coordinator/offset_store.h"
#include "strata/kafka/server/dispatcher.h"
#include "strata/kafka/server/fetch_session_cache.h"
#include "strata/kafka/server/producer_id_allocator.h"
#include "strata/kafka/server/server_probe.h"
#include "strata/metrics/registry.h"
#include "strata/net/http_server.h"
#include "strata/net/tcp_server.h"
#include "strata/schema/rest/registry_api.h"
#include "strata/schema/rest/registry_forwarder.h"
#include "strata/schema/schema_registry.h"
#include "strata/storage/log_cleaner.h"
#include "strata/storage/log_manager.h"

namespace strata::app {

class broker {
public:
    explicit broker(broker_config cfg);
    ~broker();

    // Opens storage and starts listening; false (with the reason logged) when it cannot.
    bool start();
    // Runs until stop() (or a signal); returns the process exit code.
    int run();
    void stop();

private:
    bool lock_log_dir();
    bool start_admin();
    bool start_schema_registry_api();
    // The cluster id of meta.properties, if the log dir has one.
    std::optional<std::string> stored_cluster_id();
    void store_cluster_id(const std::string& id);
    // With metadata.etcd.endpoints: joins the cluster (runs the io_context
    // until it has); the cluster id, or empty when the broker cannot join.
    // The etcd client, membership and the topics kept in etcd, before anything serves.
    bool prepare_cluster();
    std::string join_cluster(const std::optional<std::string>& stored);
    // Group offsets and schemas, replayed from their topics once the topics are known.
    bool load_coordinator_state();
    // SIGTERM in a cluster: leave it (the registration and any controller
    // role go at once), then stop.
    void shut_down();
    void schedule_housekeeping();
    void housekeeping();
    // One bounded step of the log cleaner, repeated soon while it has work.
    void run_cleaner();
    // Every replica's high watermark to the log dir's checkpoint (when it changed).
    void checkpoint_high_watermarks();

    broker_config cfg_;
    boost::asio::io_context io_{1};
    boost::asio::steady_timer housekeeping_timer_{io_};
    boost::asio::steady_timer cleaner_timer_{io_};
    bool cleaner_scheduled_ = false;
    // SIGTERM and SIGINT shut down cleanly (logs flushed, clean-shutdown marker written).
    boost::asio::signal_set signals_{io_, SIGTERM, SIGINT};
    int lock_fd_ = -1;
    int64_t last_retention_ms_ = 0;
    int64_t last_high_watermark_checkpoint_ms_ = 0;
    int64_t last_leader_rebalance_ms_ = 0;
    metrics::registry metrics_;
    std::unique_ptr<cluster::broker_directory> directory_;
    std::unique_ptr<cluster::etcd::client> etcd_;
    std::unique_ptr<cluster::cluster_membership> membership_;
    std::unique_ptr<cluster_probe> cluster_probe_;
    std::unique_ptr<replication_probe> replication_probe_;
    std::unique_ptr<cluster::metadata_store> store_;
    std::unique_ptr<storage::log_manager> logs_;
    std::unique_ptr<cluster::topic_table> topics_;
    std::unique_ptr<cluster::cluster_topic_state> topic_state_;
    std::unique_ptr<cluster::topic_admin> topic_admin_;
    cluster::etcd_topic_admin* etcd_admin_ = nullptr;  // topic_admin_ in a cluster
    std::unique_ptr<cluster::replica_fetcher> fetcher_;
    std::unique_ptr<cluster::replication_controller> replication_;
    std::unique_ptr<storage::log_cleaner> cleaner_;
    std::unique_ptr<cleaner_probe> cleaner_probe_;
    std::unique_ptr<kafka::server::server_probe> probe_;
    std::unique_ptr<cluster::group_commit> commits_;
    std::unique_ptr<kafka::server::fetch_session_cache> sessions_;
    std::unique_ptr<kafka::server::producer_id_allocator> producer_ids_;
    std::unique_ptr<coordinator::offset_store> offsets_;
    std::unique_ptr<coordinator::group_coordinator> groups_;
    std::unique_ptr<coordinator::consumer_group_manager> consumer_groups_;
    std::unique_ptr<coordinator::group_leadership> group_leadership_;
    std::unique_ptr<coordinator::probe> group_probe_;
    std::unique_ptr<coordinator::offset_expiry> offset_expiry_;
    int64_t last_offset_expiry_ms_ = 0;
    bool offset_expiry_running_ = false;
    // The schema registry (also the schema_lookup of produce-time validation).
    std::unique_ptr<schema::schema_registry> schemas_;
    std::unique_ptr<schema::registry_forwarder> schemas_forwarder_;
    std::unique_ptr<schema::registry_api> schemas_api_;
    std::unique_ptr<net::http_server> schemas_http_;
    std::unique_ptr<schema::produce_validator> validation_;
    std::unique_ptr<kafka::server::server_context> context_;
    std::unique_ptr<kafka::server::dispatcher> dispatcher_;
    // Per client address, across all listeners; outlives the servers.
    std::unique_ptr<net::connection_quotas> quotas_;
    std::vector<std::unique_ptr<net::tcp_server>> servers_;
    std::unique_ptr<net::http_server> admin_;
    bool stopped_ = false;
};

int64_t now_ms();

} // namespace strata::app
