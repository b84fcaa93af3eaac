#pragma once
// Config resources shared by DescribeConfigs, AlterConfigs and
// IncrementalAlterConfigs: resource types and the validation of a topic's new
// override set.

#include <cstdint>
#include <optional>
#include <string>

#include "strata/cluster/topic_config.h"
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

} // namespace strata::kafka::server
