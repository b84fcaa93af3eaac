#include "strata/kafka/server/handlers/incremental_alter_configs.h"

#include <algorithm>
#include <vector>

#include "strata/kafka/server/config_resources.h"
#include "strata/kafka/server/errors.h"

namespace strata::kafka::server {
namespace {

enum class op : int8_t { set = 0, remove = 1, append = 2, subtract = 3 };

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= s.size()) {
        auto end = s.find(',', start);
        auto item = s.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (!item.empty()) out.push_back(item);
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return out;
}

std::string join_list(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
    return out;
}

// Applies one operation to `configs`; an error message when it cannot.
std::optional<std::string> apply(cluster::config_map& configs, const std::string& name, op operation,
                                 const std::optional<std::string>& value, const cluster::config_map& broker_props) {
    const auto* def = cluster::topic_configs::find(name);
    if (!def) return "Unknown topic config name: " + name;
    switch (operation) {
    case op::set:
        if (!value) return "A value is required to set " + name;
        configs[name] = *value;
        return std::nullopt;
    case op::remove: configs.erase(name); return std::nullopt;
    case op::append:
    case op::subtract: {
        if (def->type != cluster::config_type::list)
            return "Config " + name + " is not a list; APPEND and SUBTRACT apply to lists only";
        auto current = split_list(cluster::topic_configs::resolve(*def, configs, broker_props).value);
        for (const auto& item : split_list(value.value_or(""))) {
            auto it = std::find(current.begin(), current.end(), item);
            if (operation == op::append && it == current.end()) current.push_back(item);
            if (operation == op::subtract && it != current.end()) current.erase(it);
        }
        configs[name] = join_list(current);
        return std::nullopt;
    }
    }
    return "Unknown config operation " + std::to_string(int(operation));
}

} // namespace

boost::asio::awaitable<incremental_alter_configs_handler::response> incremental_alter_configs_handler::handle(
    request_context& ctx, request& req) {
    response resp;
    for (auto& resource : req.resources) {
        auto& out = resp.responses.emplace_back();
        out.resource_type = resource.resource_type;
        out.resource_name = resource.resource_name;
        if (resource_type(resource.resource_type) != resource_type::topic) {
            out.error_code = code(error_code::invalid_request);
            out.error_message = "Only topic configs can be altered on this broker.";
            continue;
        }
        auto* t = ctx.server.topics.find(resource.resource_name);
        if (!t) {
            out.error_code = code(error_code::unknown_topic_or_partition);
            out.error_message = "Topic '" + resource.resource_name + "' does not exist.";
            continue;
        }
        auto next = t->configs;
        std::optional<std::string> problem;
        for (auto& c : resource.configs) {
            problem = apply(next, c.name, op(c.config_operation), c.value, ctx.server.topics.broker_props());
            if (problem) break;
        }
        if (!problem)
            if (auto failure = validate_topic_configs(next)) problem = failure->message;
        if (problem) {
            out.error_code = code(error_code::invalid_config);
            out.error_message = *problem;
            continue;
        }
        if (req.validate_only) continue;
        if (auto r = ctx.server.topics.set_configs(t->name, std::move(next)); !r)
            out.error_code = code(to_kafka_error(r.error()));
    }
    co_return resp;
}

} // namespace strata::kafka::server
