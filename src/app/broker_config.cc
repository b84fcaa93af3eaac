#include "strata/app/broker_config.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "strata/cluster/read_replica.h"

namespace strata::app {
namespace {

template<class T>
result<T, config_error> number(const properties& p, std::string_view key, T fallback) {
    auto it = p.find(key);
    if (it == p.end()) return fallback;
    T v{};
    auto [ptr, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
    if (ec != std::errc{} || ptr != it->second.data() + it->second.size())
        return fail(config_error{std::string(key) + ": not a number: '" + it->second + "'"});
    return v;
}

result<bool, config_error> boolean(const properties& p, std::string_view key, bool fallback) {
    auto it = p.find(key);
    if (it == p.end()) return fallback;
    if (it->second == "true") return true;
    if (it->second == "false") return false;
    return fail(config_error{std::string(key) + ": expected true or false, got '" + it->second + "'"});
}

std::string text(const properties& p, std::string_view key, std::string fallback) {
    auto it = p.find(key);
    return it == p.end() ? fallback : it->second;
}

// An HTTP endpoint's listener (the first one given): false when the key is
// set empty, which disables the endpoint.
result<bool, config_error> http_listener(const properties& p, std::string_view key, std::string fallback,
                                         std::string& host, uint16_t& port) {
    auto parsed = parse_listeners(text(p, key, std::move(fallback)));
    if (!parsed) return fail(parsed.error());
    if (parsed->empty()) return false;
    host = parsed->front().host;
    port = parsed->front().port;
    return true;
}

} // namespace

result<std::vector<listener>, config_error> parse_listeners(const std::string& value) {
    std::vector<listener> out;
    size_t start = 0;
    while (start <= value.size()) {
        auto end = value.find(',', start);
        auto item = value.substr(start, end == std::string::npos ? std::string::npos : end - start);
        start = end == std::string::npos ? value.size() + 1 : end + 1;
        while (!item.empty() && item.front() == ' ') item.erase(0, 1);
        if (item.empty()) continue;
        auto scheme = item.find("://");
        auto colon = item.rfind(':');
        if (scheme == std::string::npos || colon == std::string::npos || colon < scheme + 3)
            return fail(config_error{"listener '" + item + "' is not NAME://host:port"});
        listener l;
        l.name = item.substr(0, scheme);
        l.host = item.substr(scheme + 3, colon - scheme - 3);
        if (l.host.size() >= 2 && l.host.front() == '[') l.host = l.host.substr(1, l.host.size() - 2);
        int port = 0;
        auto ps = item.substr(colon + 1);
        auto [ptr, ec] = std::from_chars(ps.data(), ps.data() + ps.size(), port);
        if (ec != std::errc{} || ptr != ps.data() + ps.size() || port < 0 || port > 65535)
            return fail(config_error{"listener '" + item + "' has an invalid port"});
        l.port = uint16_t(port);
        out.push_back(l);
    }
    return out;
}

result<std::vector<std::pair<std::string, uint32_t>>, config_error> parse_per_ip_overrides(const std::string& value) {
    const auto trim = [](std::string_view v) {
        while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.remove_prefix(1);
        while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.remove_suffix(1);
        return v;
    };
    // The characters Kafka allows in a host (Utils.validHostPattern).
    const auto valid_host = [](std::string_view h) {
        return std::all_of(h.begin(), h.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '%' || c == '.' || c == '_' ||
                   c == ':';
        });
    };
    const std::string key = "max.connections.per.ip.overrides";
    std::vector<std::pair<std::string, uint32_t>> out;
    std::string_view rest = value;
    while (!rest.empty()) {
        auto comma = rest.find(',');
        std::string_view item = trim(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        if (item.empty()) continue;
        auto colon = item.rfind(':');
        if (colon == std::string_view::npos)
            return fail(config_error{key + ": '" + std::string(item) + "' is not host:count"});
        std::string_view host = trim(item.substr(0, colon));
        std::string_view count = trim(item.substr(colon + 1));
        if (host.empty() || !valid_host(host))
            return fail(config_error{key + ": invalid host '" + std::string(host) + "'"});
        int32_t n = 0;
        auto [ptr, ec] = std::from_chars(count.data(), count.data() + count.size(), n);
        if (ec != std::errc{} || ptr != count.data() + count.size() || n < 0)
            return fail(config_error{key + ": '" + std::string(count) + "' is not a connection count"});
        out.emplace_back(std::string(host), uint32_t(n));
    }
    return out;
}

result<broker_config, config_error> load_broker_config(const properties& p) {
    broker_config c;
    c.raw = p;
#define STRATA_TRY(target, expr)              \
    do {                                      \
        auto r_ = (expr);                     \
        if (!r_) return fail(r_.error());     \
        target = *r_;                         \
    } while (0)
    int32_t broker_id = 1;  // broker.id is the older name of node.id
    STRATA_TRY(broker_id, number<int32_t>(p, "broker.id", broker_id));
    STRATA_TRY(c.node_id, number<int32_t>(p, "node.id", broker_id));
    STRATA_TRY(c.listeners, parse_listeners(text(p, "listeners", "PLAINTEXT://:9092")));
    if (c.listeners.empty()) return fail(config_error{"listeners: at least one listener is required"});
    if (p.contains("advertised.listeners")) {
        STRATA_TRY(c.advertised_listeners, parse_listeners(text(p, "advertised.listeners", "")));
    } else {
        c.advertised_listeners = c.listeners;
    }
    c.log_dir = text(p, "log.dirs", text(p, "log.dir", c.log_dir));
    if (auto comma = c.log_dir.find(','); comma != std::string::npos) c.log_dir.resize(comma);
    STRATA_TRY(c.admin_enabled,
               http_listener(p, "admin.listeners", "http://0.0.0.0:9644", c.admin_host, c.admin_port));
    STRATA_TRY(c.schema_registry_enabled, http_listener(p, "schema.registry.listeners", "http://0.0.0.0:8081",
                                                        c.schema_registry_host, c.schema_registry_port));
    STRATA_TRY(c.num_partitions, number<int32_t>(p, "num.partitions", c.num_partitions));
    if (c.num_partitions < 1) return fail(config_error{"num.partitions must be at least 1"});
    STRATA_TRY(c.default_replication_factor,
               number<int16_t>(p, "default.replication.factor", c.default_replication_factor));
    STRATA_TRY(c.auto_create_topics_enable, boolean(p, "auto.create.topics.enable", c.auto_create_topics_enable));
    STRATA_TRY(c.delete_topic_enable, boolean(p, "delete.topic.enable", c.delete_topic_enable));
    STRATA_TRY(c.socket_request_max_bytes, number<uint32_t>(p, "socket.request.max.bytes", c.socket_request_max_bytes));
    STRATA_TRY(c.max_connections, number<uint32_t>(p, "max.connections", c.max_connections));
    STRATA_TRY(c.max_connections_per_ip, number<uint32_t>(p, "max.connections.per.ip", c.max_connections_per_ip));
    STRATA_TRY(c.max_connections_per_ip_overrides,
               parse_per_ip_overrides(text(p, "max.connections.per.ip.overrides", "")));
    if (c.max_connections_per_ip == 0 && c.max_connections_per_ip_overrides.empty())
        return fail(config_error{
            "max.connections.per.ip can be set to zero only if max.connections.per.ip.overrides is set"});
    STRATA_TRY(c.connections_max_idle_ms, number<int64_t>(p, "connections.max.idle.ms", c.connections_max_idle_ms));
    STRATA_TRY(c.retention_check_interval_ms,
               number<int64_t>(p, "log.retention.check.interval.ms", c.retention_check_interval_ms));
    STRATA_TRY(c.log_cleaner_enable, boolean(p, "log.cleaner.enable", c.log_cleaner_enable));
    STRATA_TRY(c.log_cleaner_backoff_ms, number<int64_t>(p, "log.cleaner.backoff.ms", c.log_cleaner_backoff_ms));
    if (c.log_cleaner_backoff_ms < 0) return fail(config_error{"log.cleaner.backoff.ms must not be negative"});
    STRATA_TRY(c.log_cleaner_dedupe_buffer_size,
               number<int64_t>(p, "log.cleaner.dedupe.buffer.size", c.log_cleaner_dedupe_buffer_size));
    if (c.log_cleaner_dedupe_buffer_size < 1)
        return fail(config_error{"log.cleaner.dedupe.buffer.size must be positive"});
    STRATA_TRY(c.offsets_topic_num_partitions,
               number<int32_t>(p, "offsets.topic.num.partitions", c.offsets_topic_num_partitions));
    if (c.offsets_topic_num_partitions < 1) return fail(config_error{"offsets.topic.num.partitions must be at least 1"});
    // KIP-392: Kafka's selector by its class name; without it consumers read from leaders.
    if (const auto selector = text(p, "replica.selector.class", ""); !selector.empty()) {
        if (selector != cluster::rack_aware_replica_selector)
            return fail(config_error{"replica.selector.class: only " + std::string(cluster::rack_aware_replica_selector) +
                                     " is supported"});
        c.rack_aware_replica_selector = true;
    }
    STRATA_TRY(c.offsets_topic_replication_factor,
               number<int16_t>(p, "offsets.topic.replication.factor", c.offsets_topic_replication_factor));
    if (c.offsets_topic_replication_factor < 1)
        return fail(config_error{"offsets.topic.replication.factor must be at least 1"});
    STRATA_TRY(c.schema_registry_topic_replication_factor,
               number<int16_t>(p, "schema.registry.topic.replication.factor",
                               c.schema_registry_topic_replication_factor));
    if (c.schema_registry_topic_replication_factor < 1)
        return fail(config_error{"schema.registry.topic.replication.factor must be at least 1"});
    STRATA_TRY(c.offsets_commit_timeout_ms,
               number<int32_t>(p, "offsets.commit.timeout.ms", c.offsets_commit_timeout_ms));
    if (c.offsets_commit_timeout_ms < 1) return fail(config_error{"offsets.commit.timeout.ms must be at least 1"});
    STRATA_TRY(c.offsets_retention_minutes,
               number<int32_t>(p, "offsets.retention.minutes", c.offsets_retention_minutes));
    if (c.offsets_retention_minutes < 1) return fail(config_error{"offsets.retention.minutes must be at least 1"});
    STRATA_TRY(c.offsets_retention_check_interval_ms,
               number<int64_t>(p, "offsets.retention.check.interval.ms", c.offsets_retention_check_interval_ms));
    if (c.offsets_retention_check_interval_ms < 1)
        return fail(config_error{"offsets.retention.check.interval.ms must be at least 1"});
    STRATA_TRY(c.consumer_session_timeout_ms,
               number<int32_t>(p, "group.consumer.session.timeout.ms", c.consumer_session_timeout_ms));
    STRATA_TRY(c.consumer_heartbeat_interval_ms,
               number<int32_t>(p, "group.consumer.heartbeat.interval.ms", c.consumer_heartbeat_interval_ms));
    STRATA_TRY(c.group_initial_rebalance_delay_ms,
               number<int32_t>(p, "group.initial.rebalance.delay.ms", c.group_initial_rebalance_delay_ms));
    STRATA_TRY(c.group_min_session_timeout_ms,
               number<int32_t>(p, "group.min.session.timeout.ms", c.group_min_session_timeout_ms));
    STRATA_TRY(c.group_max_session_timeout_ms,
               number<int32_t>(p, "group.max.session.timeout.ms", c.group_max_session_timeout_ms));
    STRATA_TRY(c.group_max_size, number<int32_t>(p, "group.max.size", c.group_max_size));
    if (c.group_initial_rebalance_delay_ms < 0)
        return fail(config_error{"group.initial.rebalance.delay.ms must not be negative"});
    if (c.group_min_session_timeout_ms > c.group_max_session_timeout_ms)
        return fail(config_error{"group.min.session.timeout.ms must not exceed group.max.session.timeout.ms"});
    if (c.group_max_size < 1) return fail(config_error{"group.max.size must be at least 1"});
    c.metadata_etcd_endpoints = text(p, "metadata.etcd.endpoints", "");
    c.metadata_etcd_prefix = text(p, "metadata.etcd.prefix", c.metadata_etcd_prefix);
    while (c.metadata_etcd_prefix.size() > 1 && c.metadata_etcd_prefix.back() == '/') c.metadata_etcd_prefix.pop_back();
    if (!c.metadata_etcd_prefix.starts_with('/') || c.metadata_etcd_prefix == "/")
        return fail(config_error{"metadata.etcd.prefix must start with / and name a key prefix, e.g. /strata"});
    STRATA_TRY(c.metadata_etcd_request_timeout_ms,
               number<int64_t>(p, "metadata.etcd.request.timeout.ms", c.metadata_etcd_request_timeout_ms));
    STRATA_TRY(c.broker_session_timeout_ms,
               number<int64_t>(p, "broker.session.timeout.ms", c.broker_session_timeout_ms));
    STRATA_TRY(c.broker_heartbeat_interval_ms,
               number<int64_t>(p, "broker.heartbeat.interval.ms", c.broker_heartbeat_interval_ms));
    if (c.metadata_etcd_request_timeout_ms < 1)
        return fail(config_error{"metadata.etcd.request.timeout.ms must be at least 1"});
    if (c.broker_heartbeat_interval_ms < 1 || c.broker_heartbeat_interval_ms >= c.broker_session_timeout_ms)
        return fail(config_error{"broker.heartbeat.interval.ms must be positive and below broker.session.timeout.ms"});
    STRATA_TRY(c.replica_lag_time_max_ms, number<int64_t>(p, "replica.lag.time.max.ms", c.replica_lag_time_max_ms));
    STRATA_TRY(c.replica_fetch_wait_max_ms,
               number<int32_t>(p, "replica.fetch.wait.max.ms", c.replica_fetch_wait_max_ms));
    STRATA_TRY(c.replica_fetch_max_bytes, number<int32_t>(p, "replica.fetch.max.bytes", c.replica_fetch_max_bytes));
    STRATA_TRY(c.replica_fetch_response_max_bytes,
               number<int32_t>(p, "replica.fetch.response.max.bytes", c.replica_fetch_response_max_bytes));
    STRATA_TRY(c.replica_socket_timeout_ms,
               number<int32_t>(p, "replica.socket.timeout.ms", c.replica_socket_timeout_ms));
    STRATA_TRY(c.replica_fetch_backoff_ms, number<int32_t>(p, "replica.fetch.backoff.ms", c.replica_fetch_backoff_ms));
    STRATA_TRY(c.replica_high_watermark_checkpoint_interval_ms,
               number<int64_t>(p, "replica.high.watermark.checkpoint.interval.ms",
                               c.replica_high_watermark_checkpoint_interval_ms));
    STRATA_TRY(c.auto_leader_rebalance_enable,
               boolean(p, "auto.leader.rebalance.enable", c.auto_leader_rebalance_enable));
    STRATA_TRY(c.leader_imbalance_check_interval_seconds,
               number<int64_t>(p, "leader.imbalance.check.interval.seconds", c.leader_imbalance_check_interval_seconds));
    STRATA_TRY(c.leader_imbalance_per_broker_percentage,
               number<int32_t>(p, "leader.imbalance.per.broker.percentage", c.leader_imbalance_per_broker_percentage));
    if (c.leader_imbalance_check_interval_seconds < 1 || c.leader_imbalance_per_broker_percentage < 0 ||
        c.leader_imbalance_per_broker_percentage > 100)
        return fail(config_error{"leader.imbalance.check.interval.seconds must be at least 1 and "
                                 "leader.imbalance.per.broker.percentage within 0-100"});
    if (c.replica_lag_time_max_ms < 1 || c.replica_fetch_wait_max_ms < 0 || c.replica_fetch_max_bytes < 1 ||
        c.replica_fetch_response_max_bytes < 1 || c.replica_socket_timeout_ms <= c.replica_fetch_wait_max_ms ||
        c.replica_fetch_backoff_ms < 0 || c.replica_high_watermark_checkpoint_interval_ms < 1)
        return fail(config_error{"replica.* settings must be positive, and replica.socket.timeout.ms above "
                                 "replica.fetch.wait.max.ms"});
    c.log_level = text(p, "log.level", c.log_level);
#undef STRATA_TRY
    return c;
}

} // namespace strata::app
