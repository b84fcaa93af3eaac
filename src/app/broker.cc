#include "strata/app/broker.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

#include "strata/app/properties.h"
#include "strata/cluster/producer_id_blocks.h"
#include "strata/coordinator/offsets_topic.h"

namespace strata::app {

namespace fs = std::filesystem;

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

broker::broker(broker_config cfg) : cfg_(std::move(cfg)) {}

broker::~broker() {
    stop();
    if (lock_fd_ >= 0) ::close(lock_fd_);
}

bool broker::lock_log_dir() {
    // Two brokers on one log dir would corrupt it; Kafka guards with a .lock file too.
    auto path = fs::path(cfg_.log_dir) / ".lock";
    lock_fd_ = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    if (lock_fd_ < 0 || ::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
        spdlog::error("log dir {} is in use by another process (cannot lock {})", cfg_.log_dir, path.string());
        return false;
    }
    return true;
}

std::optional<std::string> broker::stored_cluster_id() {
    // meta.properties, as Kafka writes it, so operators find the cluster id where they expect it.
    auto path = fs::path(cfg_.log_dir) / "meta.properties";
    if (std::ifstream in{path}) {
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (auto props = parse_properties(text); props && props->contains("cluster.id"))
            return props->at("cluster.id");
    }
    return std::nullopt;
}

void broker::store_cluster_id(const std::string& id) {
    std::ofstream out{fs::path(cfg_.log_dir) / "meta.properties"};
    out << "#\n#Written by Strata\nversion=1\ncluster.id=" << id << "\nnode.id=" << cfg_.node_id << "\n";
}

bool broker::prepare_cluster() {
    auto endpoints = cluster::etcd::parse_endpoints(cfg_.metadata_etcd_endpoints);
    if (!endpoints) {
        spdlog::error("{}", endpoints.error());
        return false;
    }
    const std::chrono::milliseconds timeout(cfg_.metadata_etcd_request_timeout_ms);
    etcd_ = std::make_unique<cluster::etcd::client>(io_.get_executor(), std::move(*endpoints), timeout);
    cluster_probe_ = std::make_unique<cluster_probe>(metrics_);
    etcd_->observe([p = cluster_probe_.get()](std::optional<cluster::etcd::errc> e, double s) { p->etcd_request(e, s); });
    membership_ = std::make_unique<cluster::cluster_membership>(
        io_.get_executor(), *etcd_, *directory_,
        cluster::membership_settings{cfg_.metadata_etcd_prefix, cfg_.broker_session_timeout_ms,
                                     cfg_.broker_heartbeat_interval_ms,
                                     (fs::path(cfg_.log_dir) / "etcd.lease").string()});
    topic_state_ = std::make_unique<cluster::cluster_topic_state>(io_.get_executor(), *topics_,
                                                                  cfg_.metadata_etcd_prefix);
    membership_->observe_metadata(
        [s = topic_state_.get()](const std::vector<cluster::etcd::key_value>& kvs, int64_t revision) {
            s->load(kvs, revision);
        },
        [s = topic_state_.get()](const cluster::etcd::watch_event& e) { s->apply(e); });
    auto admin = std::make_unique<cluster::etcd_topic_admin>(io_.get_executor(), *etcd_, *topic_state_, *directory_,
                                                             cfg_.metadata_etcd_prefix, timeout);
    etcd_admin_ = admin.get();
    topic_admin_ = std::move(admin);
    fetcher_ = std::make_unique<cluster::replica_fetcher>(
        io_.get_executor(), *topics_, *directory_,
        cluster::replica_fetch_settings{cfg_.replica_fetch_wait_max_ms, cfg_.replica_fetch_response_max_bytes,
                                        cfg_.replica_fetch_max_bytes,
                                        std::chrono::milliseconds(cfg_.replica_socket_timeout_ms),
                                        std::chrono::milliseconds(cfg_.replica_fetch_backoff_ms)});
    replication_probe_ = std::make_unique<replication_probe>(metrics_);
    replication_ = std::make_unique<cluster::replication_controller>(io_.get_executor(), *etcd_, *topic_state_,
                                                                     *topics_, *directory_, cfg_.metadata_etcd_prefix,
                                                                     cfg_.replica_lag_time_max_ms);
    replication_->observe([p = replication_probe_.get()](const char* kind) { p->changed(kind); });
    // Whatever changes who leads what: followers fetch from the new leaders,
    // and the controller elects where a leader is gone.
    topic_state_->on_change([this] {
        fetcher_->refresh();
        replication_->elect_leaders();
        replication_->complete_reassignments();
        replication_->reclaim_fenced_leaderships();
        group_leadership_->refresh();
    });
    directory_->on_change([this] {
        fetcher_->refresh();
        replication_->elect_leaders();
        replication_->complete_reassignments();
        replication_->reclaim_fenced_leaderships();
    });
    // Auto-created and internal topics are created by the cluster, in the
    // background. __consumer_offsets gets offsets.topic.replication.factor
    // (the group coordinator follows the leadership of its partitions),
    // _schemas schema.registry.topic.replication.factor (the registry takes
    // writes where it is led), other topics default.replication.factor.
    topics_->set_cluster_creator([this](const std::string& name, int32_t partitions, cluster::config_map configs) {
        int16_t rf = int16_t(cfg_.default_replication_factor);
        if (name == coordinator::offsets_topic_name)
            rf = cfg_.offsets_topic_replication_factor;
        else if (name == schema::schemas_topic_name)
            rf = cfg_.schema_registry_topic_replication_factor;
        etcd_admin_->create_in_background(cluster::new_topic{name, partitions, rf, {}, std::move(configs)});
    });
    return true;
}

std::string broker::join_cluster(const std::optional<std::string>& stored) {
    std::optional<result<std::string, std::string>> joined;
    boost::asio::co_spawn(
        io_,
        [&]() -> boost::asio::awaitable<void> {
            // A broker started together with etcd waits for it a while.
            joined = co_await membership_->join(kafka::uuid::random().to_base64(), stored, std::chrono::seconds(60));
        },
        boost::asio::detached);
    // SIGTERM while joining (etcd down, a node.id still taken) stops the
    // broker rather than waiting for the join to give up.
    int signal_while_joining = 0;
    signals_.async_wait([&](boost::system::error_code ec, int signo) {
        if (!ec) signal_while_joining = signo;
    });
    while (!joined && !signal_while_joining && io_.run_one() > 0) {}
    if (!joined) {
        spdlog::error("cannot join the cluster: {}",
                      signal_while_joining ? "stopped by signal " + std::to_string(signal_while_joining)
                                           : std::string("stopped"));
        return {};
    }
    boost::system::error_code ignored;
    signals_.cancel(ignored);
    while (io_.poll_one() > 0) {}  // the cancelled wait's handler, before its captures go
    if (!*joined) {
        spdlog::error("cannot join the cluster: {}", joined->error());
        return {};
    }
    const std::string id = joined->value();
    directory_->on_change([this] { cluster_probe_->refresh(*directory_, membership_->registered()); });
    cluster_probe_->refresh(*directory_, membership_->registered());
    replication_->rejoin();
    // Logs of topics deleted while this broker was away.
    std::set<std::string> orphans;
    for (const auto& [tp, log] : logs_->logs())
        if (!topics_->find(tp.topic)) orphans.insert(tp.topic);
    for (const auto& topic : orphans) {
        spdlog::info("deleting the logs of topic {}, which the cluster no longer has", topic);
        if (auto r = logs_->remove(topic); !r)
            spdlog::error("cannot delete the logs of {}: {}", topic, storage::to_string(r.error()));
    }
    membership_->start();
    return id;
}

void broker::shut_down() {
    if (!membership_) return stop();
    fetcher_->stop();
    for (auto& s : servers_) s->stop();
    // A second signal stops at once, without waiting for etcd to hear of it.
    signals_.async_wait([this](boost::system::error_code ec, int) {
        if (!ec) stop();
    });
    boost::asio::co_spawn(
        io_,
        [this]() -> boost::asio::awaitable<void> {
            // Leadership moves to in-sync followers first, so clients switch
            // to brokers that have every acknowledged record.
            co_await replication_->resign_leaderships(
                std::chrono::milliseconds(cfg_.metadata_etcd_request_timeout_ms));
            co_await membership_->leave();
            stop();
        },
        boost::asio::detached);
}

bool broker::start() {
    std::error_code ec;
    fs::create_directories(cfg_.log_dir, ec);
    if (ec) {
        spdlog::error("cannot create log dir {}: {}", cfg_.log_dir, ec.message());
        return false;
    }
    if (!lock_log_dir()) return false;
    auto stored_id = stored_cluster_id();
    std::string cluster_id = stored_id.value_or(kafka::uuid::random().to_base64());

    auto store = cluster::metadata_store::open((fs::path(cfg_.log_dir) / "__cluster_metadata").string());
    if (!store) {
        spdlog::error("{}", store.error());
        return false;
    }
    store_ = std::move(store).value();

    cluster::config_map broker_props(cfg_.raw.begin(), cfg_.raw.end());
    // Logs open with their topic's configuration, which the metadata store holds.
    std::map<std::string, cluster::config_map> topic_overrides;
    for (auto& rec : store_->load_topics())
        for (auto& c : rec.configs) topic_overrides[rec.name][c.name] = c.value;
    logs_ = std::make_unique<storage::log_manager>(cfg_.log_dir,
                                                   cluster::topic_configs::to_log_config({}, broker_props));
    auto opened = logs_->open_all(now_ms(), [&](const topic_partition& tp) {
        return cluster::topic_configs::to_log_config(topic_overrides[tp.topic], broker_props);
    });
    if (!opened) {
        spdlog::error("cannot open logs in {}: {}", cfg_.log_dir, storage::to_string(opened.error()));
        return false;
    }
    topics_ = std::make_unique<cluster::topic_table>(*store_, *logs_, broker_props, cfg_.node_id);
    cleaner_ = std::make_unique<storage::log_cleaner>(
        *logs_, storage::cleaner_config{cfg_.log_cleaner_enable, cfg_.log_cleaner_backoff_ms,
                                        size_t(cfg_.log_cleaner_dedupe_buffer_size)});
    cleaner_probe_ = std::make_unique<cleaner_probe>(metrics_);
    const bool clustered = !cfg_.metadata_etcd_endpoints.empty();
    // A cluster's topics come from etcd once the broker has joined.
    if (!clustered) {
        if (auto r = topics_->load(now_ms()); !r) {
            spdlog::error("cannot load topics from the metadata store");
            return false;
        }
        topic_admin_ = std::make_unique<cluster::local_topic_admin>(*topics_);
    }

    probe_ = std::make_unique<kafka::server::server_probe>(metrics_);
    commits_ = std::make_unique<cluster::group_commit>(io_.get_executor(),
                                                       [probe = probe_.get()](double s) { probe->fsync_done(s); });
    sessions_ = std::make_unique<kafka::server::fetch_session_cache>();
    producer_ids_ = std::make_unique<kafka::server::producer_id_allocator>(*store_);
    offsets_ = std::make_unique<coordinator::offset_store>(*topics_, *commits_, cfg_.offsets_topic_num_partitions,
                                                           std::chrono::milliseconds(cfg_.offsets_commit_timeout_ms));
    groups_ = std::make_unique<coordinator::group_coordinator>(
        io_.get_executor(), *offsets_,
        coordinator::classic_group_settings{cfg_.group_initial_rebalance_delay_ms, cfg_.group_min_session_timeout_ms,
                                            cfg_.group_max_session_timeout_ms, cfg_.group_max_size});
    consumer_groups_ = std::make_unique<coordinator::consumer_group_manager>(
        *topics_, coordinator::consumer_group_settings{cfg_.consumer_session_timeout_ms,
                                                       cfg_.consumer_heartbeat_interval_ms});
    consumer_groups_->on_persist([this](const std::string& group, std::optional<int32_t> epoch) {
        boost::asio::co_spawn(
            io_,
            [](coordinator::offset_store& offsets, std::string group,
               std::optional<int32_t> epoch) -> boost::asio::awaitable<void> {
                if (!co_await offsets.append_consumer_group_record(group, epoch, now_ms()))
                    spdlog::warn("group {}: cannot store its metadata", group);
            }(*offsets_, group, epoch),
            boost::asio::detached);
    });
    group_leadership_ = std::make_unique<coordinator::group_leadership>(*topics_, *offsets_, *groups_, *consumer_groups_);
    group_probe_ = std::make_unique<coordinator::probe>(metrics_);
    groups_->on_rebalance([p = group_probe_.get()](const std::string& group) { p->rebalanced(group); });
    consumer_groups_->on_rebalance([p = group_probe_.get()](const std::string& group) { p->rebalanced(group); });
    offset_expiry_ = std::make_unique<coordinator::offset_expiry>(
        *offsets_, *groups_, *consumer_groups_, int64_t(cfg_.offsets_retention_minutes) * 60'000);
    last_offset_expiry_ms_ = now_ms();
    // Replaying _schemas before serving: IDs and versions are what they were.
    schemas_ = std::make_unique<schema::schema_registry>(*topics_, *commits_, metrics_);
    validation_ = std::make_unique<schema::produce_validator>(*topics_, metrics_);
    validation_->set_lookup(schemas_.get());

    const auto& adv = cfg_.advertised_listeners.front();
    kafka::server::broker_identity self{cfg_.node_id, adv.host.empty() ? "localhost" : adv.host, adv.port,
                                        std::nullopt, cluster_id};
    if (auto it = cfg_.raw.find("broker.rack"); it != cfg_.raw.end()) self.rack = it->second;
    directory_ = std::make_unique<cluster::broker_directory>(
        cluster::broker_endpoint{self.node_id, self.host, self.port, self.rack},
        clustered);
    if (clustered && !prepare_cluster()) return false;
    if (clustered) {
        producer_ids_->reserve_with([this]() -> boost::asio::awaitable<int64_t> {
            auto start = co_await cluster::reserve_producer_id_block(
                *etcd_, cfg_.metadata_etcd_prefix, kafka::server::producer_id_allocator::block_size);
            if (!start) spdlog::warn("cannot reserve producer ids in etcd: {}", cluster::to_string(start.error()));
            co_return start ? *start : -1;
        });
    }
    topics_->on_log_removed([this](storage::log& log) { commits_->forget(log); });
    kafka::server::server_settings settings{cfg_.auto_create_topics_enable, cfg_.delete_topic_enable,
                                            cfg_.num_partitions, cfg_.default_replication_factor, cfg_.log_dir,
                                            cfg_.rack_aware_replica_selector};
    context_.reset(new kafka::server::server_context{io_.get_executor(), self, settings, *directory_, *topics_, *topic_admin_, *commits_,
                                                     *sessions_, *producer_ids_, *probe_, *offsets_, *groups_,
                                                     *consumer_groups_, *group_probe_, *validation_});
    context_->replication = replication_.get();
    dispatcher_ = std::make_unique<kafka::server::dispatcher>(*context_);

    net::connection_limits limits{cfg_.socket_request_max_bytes, cfg_.max_connections, cfg_.connections_max_idle_ms};
    try {
        quotas_ = std::make_unique<net::connection_quotas>(net::connection_quotas::resolve(
            io_, cfg_.max_connections_per_ip, cfg_.max_connections_per_ip_overrides));
    } catch (const std::exception& e) {
        spdlog::error("{}", e.what());
        return false;
    }
    for (const auto& l : cfg_.listeners) {
        auto server = std::make_unique<net::tcp_server>(io_, *dispatcher_, limits, *quotas_);
        try {
            server->bind(l.host, l.port);
        } catch (const std::exception& e) {
            spdlog::error("cannot listen on {}:{}: {}", l.host, l.port, e.what());
            return false;
        }
        if (l.port == 0 && &l == &cfg_.listeners.front() && adv.port == 0) {
            context_->self.port = server->bound_port();
            directory_->set_self_port(server->bound_port());
        }
        spdlog::info("listening for Kafka clients on {}:{}", l.host.empty() ? "0.0.0.0" : l.host,
                     server->bound_port());
        servers_.push_back(std::move(server));
    }
    // Bound before joining: the cluster learns where this broker's registry answers.
    if (cfg_.schema_registry_enabled && !start_schema_registry_api()) return false;
    if (directory_->clustered()) {
        // Registered only once the Kafka port is bound: the cluster learns an address that answers.
        cluster_id = join_cluster(stored_id);
        if (cluster_id.empty()) return false;
        context_->self.cluster_id = cluster_id;
    }
    if (!stored_id || *stored_id != cluster_id) store_cluster_id(cluster_id);
    if (!load_coordinator_state()) return false;
    if (cfg_.admin_enabled && !start_admin()) return false;
    // Clients are served once the broker knows the cluster's topics and its
    // coordinators' state: before, it would answer that no topic exists (and
    // try to create the ones asked for).
    for (auto& server : servers_) server->start_accepting();
    spdlog::info("Strata broker {} started (cluster {}, {} topics, log dir {})", cfg_.node_id, cluster_id,
                 topics_->topics().size(), cfg_.log_dir);
    last_retention_ms_ = now_ms();
    last_leader_rebalance_ms_ = last_retention_ms_;
    schedule_housekeeping();
    signals_.async_wait([this](boost::system::error_code ec, int signo) {
        if (ec) return;
        spdlog::info("received signal {}; shutting down", signo);
        shut_down();
    });
    return true;
}

bool broker::load_coordinator_state() {
    // Replaying the __consumer_offsets partitions led here restores committed
    // offsets and the groups (in a cluster, joining may have done it already).
    if (!group_leadership_->refresh()) {
        spdlog::error("cannot load committed offsets from {}", coordinator::offsets_topic_name);
        return false;
    }
    if (!schemas_->load()) {
        spdlog::error("cannot load schemas from {}", schema::schemas_topic_name);
        return false;
    }
    return true;
}

bool broker::start_admin() {
    admin_ = std::make_unique<net::http_server>(io_, [this](const net::http_request& req) {
        if (req.target == "/metrics" || req.target.starts_with("/metrics?")) {
            if (req.method != "GET" && req.method != "HEAD") return net::http_response{405, "text/plain", "GET only\n"};
            return net::http_response{200, "text/plain; version=0.0.4; charset=utf-8", metrics_.render()};
        }
        return net::http_response{404, "text/plain", "not found\n"};
    });
    try {
        admin_->listen(cfg_.admin_host, cfg_.admin_port);
    } catch (const std::exception& e) {
        spdlog::error("cannot serve metrics on {}:{}: {}", cfg_.admin_host, cfg_.admin_port, e.what());
        return false;
    }
    spdlog::info("serving metrics on http://{}:{}/metrics", cfg_.admin_host.empty() ? "0.0.0.0" : cfg_.admin_host,
                 admin_->bound_port());
    return true;
}

bool broker::start_schema_registry_api() {
    // A forwarded write waits this long for a primary (an election) and its answer.
    constexpr std::chrono::seconds schema_forward_timeout(30);
    if (directory_->clustered())
        schemas_forwarder_ = std::make_unique<schema::registry_forwarder>(
            io_.get_executor(), *schemas_, *directory_, schema_forward_timeout);
    schemas_api_ = std::make_unique<schema::registry_api>(*schemas_, schemas_forwarder_.get());
    schemas_http_ = std::make_unique<net::http_server>(
        io_, net::http_server::async_handler([api = schemas_api_.get()](net::http_request req) {
            return api->handle(std::move(req));
        }));
    const auto& host = cfg_.schema_registry_host;
    try {
        schemas_http_->listen(host, cfg_.schema_registry_port);
    } catch (const std::exception& e) {
        spdlog::error("cannot serve the schema registry on {}:{} (schema.registry.listeners): {}", host,
                      cfg_.schema_registry_port, e.what());
        return false;
    }
    spdlog::info("serving the schema registry on http://{}:{}", host.empty() ? "0.0.0.0" : host,
                 schemas_http_->bound_port());
    directory_->set_self_registry_port(schemas_http_->bound_port());
    return true;
}

void broker::schedule_housekeeping() {
    housekeeping_timer_.expires_after(std::chrono::seconds(1));
    housekeeping_timer_.async_wait([this](boost::system::error_code ec) {
        if (ec || stopped_) return;
        housekeeping();
        schedule_housekeeping();
    });
}

void broker::housekeeping() {
    size_t connections = 0;
    const int64_t steady_now = net::steady_now_ms();
    for (auto& s : servers_) {
        if (size_t closed = s->close_idle(steady_now)) spdlog::debug("closed {} idle connections", closed);
        connections += s->connection_count();
    }
    probe_->set_connections(double(connections));
    if (membership_) cluster_probe_->refresh(*directory_, membership_->registered());
    auto now = now_ms();
    if (replication_) {
        replication_->maintain_isrs(now);
        // Partition changes skipped while another write to the same partition
        // was in flight, or that lost a compare-and-swap race, are tried again.
        replication_->elect_leaders();
        replication_->complete_reassignments();
        replication_->reclaim_fenced_leaderships();
        if (cfg_.auto_leader_rebalance_enable &&
            now - last_leader_rebalance_ms_ >= cfg_.leader_imbalance_check_interval_seconds * 1000) {
            last_leader_rebalance_ms_ = now;
            replication_->rebalance_preferred_leaders(cfg_.leader_imbalance_per_broker_percentage);
        }
    }
    consumer_groups_->expire(now);
    group_probe_->refresh(*offsets_, *groups_, *consumer_groups_, *topics_);
    if (now - last_offset_expiry_ms_ >= cfg_.offsets_retention_check_interval_ms && !offset_expiry_running_) {
        last_offset_expiry_ms_ = now;
        offset_expiry_running_ = true;
        boost::asio::co_spawn(
            io_,
            [this, now]() -> boost::asio::awaitable<void> {
                co_await offset_expiry_->run(now);
                offset_expiry_running_ = false;
            },
            boost::asio::detached);
    }
    bool retention_due = now - last_retention_ms_ >= cfg_.retention_check_interval_ms;
    if (retention_due) last_retention_ms_ = now;
    for (auto& [name, t] : topics_->topics()) {
        for (auto& p : t->partitions) {
            if (replication_probe_) replication_probe_->count(*topics_, *t, *p, *directory_);
            if (!p->has_log()) continue;
            auto& log = p->log();
            if (retention_due) {
                if (auto r = log.apply_retention(now); r && *r > 0)
                    spdlog::info("retention deleted {} bytes of {}-{}", *r, name, p->id().partition());
            }
            probe_->partition_state(name, p->id().partition(), double(log.size_bytes()),
                                    double(log.log_end_offset()));
        }
    }
    if (replication_probe_) replication_probe_->publish();
    if (now - last_high_watermark_checkpoint_ms_ >= cfg_.replica_high_watermark_checkpoint_interval_ms) {
        last_high_watermark_checkpoint_ms_ = now;
        checkpoint_high_watermarks();
    }
    if (!cleaner_scheduled_) run_cleaner();
    cleaner_probe_->refresh(cleaner_->totals());
}

void broker::checkpoint_high_watermarks() {
    storage::high_watermarks marks;
    for (auto& [name, t] : topics_->topics())
        for (auto& p : t->partitions)
            if (p->has_log()) marks[p->id()] = p->high_watermark();
    // A failed write leaves the previous checkpoint, which is only older:
    // replicas then start lower after a restart, and catch up.
    if (auto r = logs_->checkpoint_high_watermarks(std::move(marks)); !r)
        spdlog::warn("cannot checkpoint high watermarks: {}", storage::to_string(r.error()));
}

void broker::run_cleaner() {
    cleaner_scheduled_ = false;
    if (stopped_ || !cleaner_->step(now_ms())) return;
    // More to do: continue shortly, letting requests that arrived meanwhile go first.
    cleaner_scheduled_ = true;
    cleaner_timer_.expires_after(std::chrono::milliseconds(5));
    cleaner_timer_.async_wait([this](boost::system::error_code ec) {
        if (ec || stopped_) return;
        run_cleaner();
    });
}

int broker::run() {
    io_.run();
    return 0;
}

void broker::stop() {
    if (stopped_) return;
    stopped_ = true;
    housekeeping_timer_.cancel();
    cleaner_timer_.cancel();
    // Its unfinished output is deleted now rather than at the next start.
    if (cleaner_) cleaner_->stop();
    boost::system::error_code ignored;
    signals_.cancel(ignored);
    for (auto& s : servers_) s->stop();
    if (admin_) admin_->stop();
    if (schemas_http_) schemas_http_->stop();
    if (commits_) commits_->stop();
    if (logs_) {
        if (topics_) checkpoint_high_watermarks();
        if (auto r = logs_->close_all(); !r)
            spdlog::error("closing logs failed: {}", storage::to_string(r.error()));
    }
    io_.stop();
    spdlog::info("Strata broker stopped");
}

} // namespace strata::app
