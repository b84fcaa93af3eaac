#include "strata/kafka/server/config_resources.h"

namespace strata::kafka::server {

std::optional<config_failure> validate_topic_configs(const cluster::config_map& configs) {
    for (const auto& [name, value] : configs)
        if (auto err = cluster::topic_configs::validate(name, value)) return config_failure{error_code::invalid_config, *err};
    return std::nullopt;
}

} // namespace strata::kafka::server
