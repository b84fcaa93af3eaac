#include "strata/kafka/server/handlers/create_topics.h"

#include <set>

#include "strata/kafka/server/errors.h"
#include "strata/kafka/server/time.h"

namespace strata::kafka::server {
namespace {

using result_out = msg::create_topics_response::creatable_topic_result;

void set_error(result_out& out, error_code e, std::string message) {
    out.error_code = code(e);
    out.error_message = std::move(message);
}

// Checks one topic; fills partitions and configs. False after setting the error.
bool validate(request_context& ctx, const msg::create_topics_request::creatable_topic& t, int32_t& partitions,
              cluster::config_map& configs, result_out& out) {
    if (!cluster::topic_table::valid_topic_name(t.name)) {
        set_error(out, error_code::invalid_topic_exception, "Topic name '" + t.name + "' is illegal: it must be 1-249 "
                                                             "characters of ASCII alphanumerics, '.', '_' and '-'.");
        return false;
    }
    if (ctx.server.topics.find(t.name)) {
        set_error(out, error_code::topic_already_exists, "Topic '" + t.name + "' already exists.");
        return false;
    }
    const int32_t self = ctx.server.self.node_id;
    if (!t.assignments.empty()) {
        if (t.num_partitions != -1 || t.replication_factor != -1) {
            set_error(out, error_code::invalid_request,
                      "Both replication factor/partitions and replica assignment were given.");
            return false;
        }
        for (const auto& a : t.assignments) {
            if (a.broker_ids.size() != 1 || a.broker_ids.front() != self) {
                set_error(out, error_code::invalid_replica_assignment,
                          "Replica assignments must name only broker " + std::to_string(self) + ".");
                return false;
            }
        }
        partitions = int32_t(t.assignments.size());
    } else {
        partitions = t.num_partitions == -1 ? ctx.server.settings.num_partitions : t.num_partitions;
        int16_t rf = t.replication_factor == -1 ? ctx.server.settings.default_replication_factor : t.replication_factor;
        if (partitions <= 0) {
            set_error(out, error_code::invalid_partitions, "Number of partitions must be larger than 0.");
            return false;
        }
        if (rf <= 0) {
            set_error(out, error_code::invalid_replication_factor, "Replication factor must be larger than 0.");
            return false;
        }
        if (rf > 1) {
            set_error(out, error_code::invalid_replication_factor,
                      "Unable to replicate the partition " + std::to_string(rf) +
                          " time(s): The target replication factor of " + std::to_string(rf) +
                          " cannot be reached because only 1 broker(s) are registered.");
            return false;
        }
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

void describe_result(request_context& ctx, const cluster::config_map& overrides, int32_t partitions, result_out& out) {
    out.num_partitions = partitions;
    out.replication_factor = 1;
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
        int32_t partitions = 0;
        cluster::config_map configs;
        if (!validate(ctx, t, partitions, configs, out)) continue;
        if (!req.validate_only) {
            auto created = ctx.server.topics.create_topic(t.name, partitions, configs, wall_clock_ms());
            if (!created) {
                set_error(out, to_kafka_error(created.error()), "Topic creation failed.");
                continue;
            }
            out.topic_id = (*created)->id;
        }
        out.error_code = code(error_code::none);
        out.error_message = std::nullopt;
        if (ctx.api_version >= 5) describe_result(ctx, configs, partitions, out);
    }
    co_return resp;
}

} // namespace strata::kafka::server
