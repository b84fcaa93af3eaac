#include "strata/kafka/server/handlers/describe_configs.h"

#include <algorithm>

#include "strata/kafka/server/config_resources.h"

namespace strata::kafka::server {
namespace {

using result_out = msg::describe_configs_response::describe_configs_result;

bool wanted(const std::optional<std::vector<std::string>>& keys, std::string_view name) {
    return !keys || std::find(keys->begin(), keys->end(), name) != keys->end();
}

void describe_topic(request_context& ctx, const msg::describe_configs_request& req, const cluster::topic& t,
                    const std::optional<std::vector<std::string>>& keys, result_out& out) {
    const auto& broker_props = ctx.server.topics.broker_props();
    for (const auto& def : cluster::topic_configs::all()) {
        if (!wanted(keys, def.name)) continue;
        auto resolved = cluster::topic_configs::resolve(def, t.configs, broker_props);
        auto& c = out.configs.emplace_back();
        c.name = std::string(def.name);
        c.value = resolved.value;
        c.read_only = false;
        c.config_source = int8_t(resolved.source);
        c.is_sensitive = false;
        c.config_type = int8_t(def.type);
        if (!req.include_synonyms) continue;
        // Synonyms, most specific first: the topic's override, the broker's
        // properties, the default.
        if (auto it = t.configs.find(def.name); it != t.configs.end())
            c.synonyms.push_back({std::string(def.name), it->second, int8_t(cluster::config_source::topic)});
        for (const auto& syn : def.synonyms)
            if (auto it = broker_props.find(syn.key); it != broker_props.end())
                c.synonyms.push_back({std::string(syn.key), it->second, int8_t(cluster::config_source::static_broker)});
        if (auto name = cluster::topic_configs::default_synonym_name(def); !name.empty())
            c.synonyms.push_back(
                {std::string(name), std::string(def.default_value), int8_t(cluster::config_source::default_value)});
    }
}

// Every property the broker was given, then the defaults of known ones it was not.
void describe_broker(request_context& ctx, const std::optional<std::vector<std::string>>& keys, result_out& out) {
    const auto& props = ctx.server.topics.broker_props();
    for (const auto& [name, value] : props) {
        if (!wanted(keys, name)) continue;
        auto& c = out.configs.emplace_back();
        c.name = name;
        c.value = value;
        c.read_only = true;
        c.config_source = int8_t(cluster::config_source::static_broker);
        c.is_sensitive = name.find("password") != std::string::npos;
        if (c.is_sensitive) c.value = std::nullopt;
        c.config_type = int8_t(cluster::config_type::string);
    }
    for (const auto& d : cluster::broker_configs::all()) {
        if (props.contains(d.name) || !wanted(keys, d.name)) continue;
        auto& c = out.configs.emplace_back();
        c.name = std::string(d.name);
        c.value = std::string(d.default_value);
        c.read_only = true;
        c.config_source = int8_t(cluster::config_source::default_value);
        c.is_sensitive = false;
        c.config_type = int8_t(d.type);
    }
}

} // namespace

boost::asio::awaitable<describe_configs_handler::response> describe_configs_handler::handle(request_context& ctx,
                                                                                            request& req) {
    response resp;
    for (auto& resource : req.resources) {
        auto& out = resp.results.emplace_back();
        out.resource_type = resource.resource_type;
        out.resource_name = resource.resource_name;
        out.error_code = code(error_code::none);
        switch (resource_type(resource.resource_type)) {
        case resource_type::topic: {
            auto* t = ctx.server.topics.find(resource.resource_name);
            if (!t) {
                out.error_code = code(error_code::unknown_topic_or_partition);
                out.error_message = "Topic '" + resource.resource_name + "' does not exist.";
                break;
            }
            describe_topic(ctx, req, *t, resource.configuration_keys, out);
            break;
        }
        case resource_type::broker:
            if (!resource.resource_name.empty() &&
                resource.resource_name != std::to_string(ctx.server.self.node_id)) {
                out.error_code = code(error_code::invalid_request);
                out.error_message = "Unexpected broker id " + resource.resource_name;
                break;
            }
            describe_broker(ctx, resource.configuration_keys, out);
            break;
        case resource_type::broker_logger:
            break;  // no dynamic loggers: an empty list, as a broker with none configured
        default:
            out.error_code = code(error_code::invalid_request);
            out.error_message = "Unsupported resource type " + std::to_string(resource.resource_type);
        }
    }
    co_return resp;
}

} // namespace strata::kafka::server
