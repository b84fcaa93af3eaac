#include "strata/kafka/server/config_resources.h"

#include "strata/kafka/server/errors.h"

namespace strata::kafka::server {

std::optional<config_failure> validate_topic_configs(const cluster::config_map& configs) {
    for (const auto& [name, value] : configs)
        if (auto err = cluster::topic_configs::validate(name, value)) return config_failure{error_code::invalid_config, *err};
    return std::nullopt;
}

std::variant<cluster::topic*, config_failure> alterable_topic(cluster::topic_table& topics, int8_t type,
                                                              const std::string& name) {
    if (resource_type(type) != resource_type::topic)
        return config_failure{error_code::invalid_request, "Only topic configs can be altered on this broker."};
    auto* t = topics.find(name);
    if (!t) return config_failure{error_code::unknown_topic_or_partition, "Topic '" + name + "' does not exist."};
    return t;
}

boost::asio::awaitable<std::optional<config_failure>> replace_topic_configs(cluster::topic_admin& admin,
                                                                           const cluster::topic& t,
                                                                           cluster::config_map next,
                                                                           bool validate_only) {
    if (auto failure = validate_topic_configs(next)) co_return failure;
    if (validate_only) co_return std::nullopt;
    if (auto r = co_await admin.set_configs(t.name, std::move(next)); !r)
        co_return config_failure{to_kafka_error(r.error()), "The configuration could not be stored."};
    co_return std::nullopt;
}

} // namespace strata::kafka::server
