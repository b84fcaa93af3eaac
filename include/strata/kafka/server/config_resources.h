#pragma once
// Config resources shared by DescribeConfigs, AlterConfigs and
// IncrementalAlterConfigs: resource types and the validation of a topic's new
// override set.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

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
std::optional<config_failure> replace_topic_configs(cluster::topic_table& topics, cluster::topic& t,
                                                    cluster::config_map next, bool validate_only);

} // namespace strata::kafka::server
