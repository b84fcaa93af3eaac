#pragma once
// Config resources shared by DescribeConfigs, AlterConfigs and
// IncrementalAlterConfigs: resource types, the validation of a topic's new
// override set and the per-resource loop of both alter APIs.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include <boost/asio/awaitable.hpp>

#include "strata/cluster/topic_admin.h"
#include "strata/cluster/topic_config.h"
#include "strata/cluster/topic_table.h"
#include "strata/kafka/protocol/errors.h"

namespace strata::kafka::server {

// ConfigResource.Type values on the wire.
enum class resource_type : int8_t { unknown = 0, topic = 2, broker = 4, broker_logger = 8 };

struct config_failure {
    error_code error;
    std::string message;
};

// Checks every override of a topic's proposed config set.
std::optional<config_failure> validate_topic_configs(const cluster::config_map& configs);

// The topic an AlterConfigs or IncrementalAlterConfigs resource names, or why
// it cannot be altered (only topic resources can, on this broker).
std::variant<cluster::topic*, config_failure> alterable_topic(cluster::topic_table& topics, int8_t type,
                                                              const std::string& name);

// Validates `next` as the topic's whole override set and, unless
// `validate_only`, makes it the topic's configuration.
boost::asio::awaitable<std::optional<config_failure>> replace_topic_configs(cluster::topic_admin& admin,
                                                                           const cluster::topic& t,
                                                                           cluster::config_map next,
                                                                           bool validate_only);

// Answers every resource of an AlterConfigs or IncrementalAlterConfigs
// request: finds the topic it names, asks `next_configs(topic, resource)` for
// the topic's whole new override set (a config_map, or a config_failure saying
// why there is none), stores it unless `validate_only`, and appends one
// response entry per resource with its error.
template <typename Resources, typename Responses, typename NextConfigs>
boost::asio::awaitable<void> alter_topic_resources(cluster::topic_table& topics, cluster::topic_admin& admin,
                                                   Resources& resources, Responses& responses, bool validate_only,
                                                   NextConfigs&& next_configs) {
    for (auto& resource : resources) {
        auto& out = responses.emplace_back();
        out.resource_type = resource.resource_type;
        out.resource_name = resource.resource_name;
        std::optional<config_failure> failure;
        auto target = alterable_topic(topics, resource.resource_type, resource.resource_name);
        if (auto* f = std::get_if<config_failure>(&target)) {
            failure = *f;
        } else {
            auto& t = *std::get<cluster::topic*>(target);
            std::variant<cluster::config_map, config_failure> next = next_configs(t, resource);
            if (auto* f = std::get_if<config_failure>(&next))
                failure = *f;
            else
                failure = co_await replace_topic_configs(admin, t, std::move(std::get<cluster::config_map>(next)),
                                                         validate_only);
        }
        if (failure) {
            out.error_code = code(failure->error);
            out.error_message = failure->message;
        }
    }
}

} // namespace strata::kafka::server
