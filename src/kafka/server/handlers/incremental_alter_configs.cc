#include "strata/kafka/server/handlers/incremental_alter_configs.h"

#include <algorithm>
#include <vector>

#include "strata/kafka/server/config_resources.h"

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
    const auto& broker_props = ctx.server.topics.broker_props();
    co_await alter_topic_resources(ctx.server.topics, ctx.server.topic_admin, req.resources, resp.responses, req.validate_only,
                          [&](const cluster::topic& t, const auto& resource)
                              -> std::variant<cluster::config_map, config_failure> {
                              auto next = t.configs;
                              for (auto& c : resource.configs)
                                  if (auto problem = apply(next, c.name, op(c.config_operation), c.value, broker_props))
                                      return config_failure{error_code::invalid_config, *problem};
                              return next;
                          });
    co_return resp;
}

} // namespace strata::kafka::server
