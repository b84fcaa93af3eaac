#include "strata/kafka/server/handlers/create_topics.h"

#include <set>

#include "strata/kafka/server/errors.h"

namespace strata::kafka::server {
namespace {

using result_out = msg::create_topics_response::creatable_topic_result;

void set_error(result_out& out, error_code e, std::string message) {
    out.error_code = code(e);
    out.error_message = std::move(message);
}

// Kafka's checks: at least one replica, and no more than there are brokers.
bool replication_factor_supported(int16_t rf, size_t live, result_out& out) {
    if (rf <= 0) {
        set_error(out, error_code::invalid_replication_factor, "Replication factor must be larger than 0.");
        return false;
    }
    if (size_t(rf) > live) {
        set_error(out, error_code::invalid_replication_factor,
                  "Unable to replicate the partition " + std::to_string(rf) +
                      " time(s): The target replication factor of " + std::to_string(rf) +
                      " cannot be reached because only " + std::to_string(live) + " broker(s) are registered.");
        return false;
    }
    return true;
}

// Checks one topic; fills the new topic's partitions, replicas and configs.
// False after setting the error.
bool validate(request_context& ctx, const msg::create_topics_request::creatable_topic& t, cluster::new_topic& created,
              result_out& out) {
    int32_t& partitions = created.partitions;
    cluster::config_map& configs = created.configs;
    if (!cluster::topic_table::valid_topic_name(t.name)) {
        set_error(out, error_code::invalid_topic_exception, "Topic name '" + t.name + "' is illegal: it must be 1-249 "
                                                             "characters of ASCII alphanumerics, '.', '_' and '-'.");
        return false;
    }
    if (ctx.server.topics.find(t.name)) {
        set_error(out, error_code::topic_already_exists, "Topic '" + t.name + "' already exists.");
        return false;
    }
    const auto& live = ctx.server.brokers.live();
    if (!t.assignments.empty()) {
        if (t.num_partitions != -1 || t.replication_factor != -1) {
            set_error(out, error_code::invalid_request,
                      "Both replication factor/partitions and replica assignment were given.");
            return false;
        }
        for (const auto& a : t.assignments) {
            std::set<int32_t> distinct(a.broker_ids.begin(), a.broker_ids.end());
            if (a.broker_ids.empty() || distinct.size() != a.broker_ids.size()) {
                set_error(out, error_code::invalid_replica_assignment,
                          "Partition " + std::to_string(a.partition_index) + " has an empty or repeated replica list.");
                return false;
            }
            for (int32_t id : a.broker_ids) {
                if (!live.contains(id)) {
                    set_error(out, error_code::invalid_replica_assignment,
                              "Broker " + std::to_string(id) + " of partition " + std::to_string(a.partition_index) +
                                  "'s replicas is not registered.");
                    return false;
                }
            }
            if (!replication_factor_supported(int16_t(a.broker_ids.size()), live.size(), out)) return false;
            created.assignments.push_back(a.broker_ids);
        }
        partitions = int32_t(t.assignments.size());
    } else {
        partitions = t.num_partitions == -1 ? ctx.server.settings.num_partitions : t.num_partitions;
        created.replication_factor =
            t.replication_factor == -1 ? ctx.server.settings.default_replication_factor : t.replication_factor;
        if (partitions <= 0) {
            set_error(out, error_code::invalid_partitions, "Number of partitions must be larger than 0.");
            return false;
        }
        if (!replication_factor_supported(created.replication_factor, live.size(), out)) return false;
    }
    for (const auto& c : t.configs) {
        if (!c.value) continue;  // null means "use the default"
        if (auto err = cluster::topic_configs::validate(c.name, *c.value)) {
            set_error(out, error_code::invalid_config, *err);
            return false;
        }
        configs[c.name] = *c.value;
    }
    return true;
}

void describe_result(request_context& ctx, const cluster::config_map& overrides, int32_t partitions,
                     int16_t replication_factor, result_out& out) {
    out.num_partitions = partitions;
    out.replication_factor = replication_factor;
    auto& configs = out.configs.emplace();
    for (const auto& def : cluster::topic_configs::all()) {
        auto r = cluster::topic_configs::resolve(def, overrides, ctx.server.topics.broker_props());
        auto& c = configs.emplace_back();
        c.name = std::string(def.name);
        c.value = r.value;
        c.read_only = false;
        c.config_source = int8_t(r.source);
        c.is_sensitive = false;
    }
}

} // namespace

boost::asio::awaitable<create_topics_handler::response> create_topics_handler::handle(request_context& ctx,
                                                                                      request& req) {
    response resp;
    std::set<std::string> seen, duplicated;
    for (const auto& t : req.topics)
        if (!seen.insert(t.name).second) duplicated.insert(t.name);
    for (auto& t : req.topics) {
        auto& out = resp.topics.emplace_back();
        out.name = t.name;
        if (duplicated.contains(t.name)) {
            set_error(out, error_code::invalid_request, "Topic '" + t.name + "' is named more than once.");
            continue;
        }
        cluster::new_topic wanted;
        wanted.name = t.name;
        if (!validate(ctx, t, wanted, out)) continue;
        const auto partitions = wanted.partitions;
        const auto configs = wanted.configs;
        const auto replication_factor =
            wanted.assignments.empty() ? wanted.replication_factor : int16_t(wanted.assignments.front().size());
        if (!req.validate_only) {
            auto created = co_await ctx.server.topic_admin.create_topic(std::move(wanted));
            if (!created) {
                auto e = to_kafka_error(created.error());
                set_error(out, e,
                          e == error_code::topic_already_exists ? "Topic '" + t.name + "' already exists."
                                                                : std::string("Topic creation failed: ") +
                                                                      cluster::to_string(created.error()) + ".");
                continue;
            }
            out.topic_id = *created;
        }
        out.error_code = code(error_code::none);
        out.error_message = std::nullopt;
        if (ctx.api_version >= 5) describe_result(ctx, configs, partitions, replication_factor, out);
    }
    co_return resp;
}

} // namespace strata::kafka::server
