#pragma once
// The topic-level configs Kafka defines, with their broker-level synonyms and
// defaults. A topic's effective value is its override, else the broker's
// property, else the default, and DescribeConfigs reports which one applied.

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "strata/storage/log_config.h"

namespace strata::cluster {

enum class config_type : int8_t { boolean = 1, string = 2, int32 = 3, int64 = 5, float64 = 6, list = 7 };

// DescribeConfigs' config_source values.
enum class config_source : int8_t { topic = 1, dynamic_broker = 2, static_broker = 4, default_value = 5 };

struct broker_synonym {
    std::string_view key;
    int64_t multiplier = 1;  // log.retention.hours -> ms
};

struct topic_config_def {
    std::string_view name;
    config_type type;
    std::string_view default_value;
    std::span<const broker_synonym> synonyms;
    std::span<const std::string_view> allowed;  // empty: any value of the type
};

using config_map = std::map<std::string, std::string, std::less<>>;

struct resolved_config {
    std::string value;
    config_source source;
    std::string_view synonym;  // the broker key the value came from, if any
};

class topic_configs {
public:
    static std::span<const topic_config_def> all();
    static const topic_config_def* find(std::string_view name);

    // An error message, or nullopt when `value` is valid for `name`.
    static std::optional<std::string> validate(std::string_view name, std::string_view value);

    static resolved_config resolve(const topic_config_def& def, const config_map& overrides,
                                   const config_map& broker_props);

    static storage::log_config to_log_config(const config_map& overrides, const config_map& broker_props);

    // The name DescribeConfigs gives the default among a config's synonyms:
    // its broker key when there is exactly one, none (empty) when the broker
    // keeps the default under another unit (log.retention.hours).
    static std::string_view default_synonym_name(const topic_config_def& def);
};

// Broker-level properties and their defaults, for DescribeConfigs of a broker.
struct broker_config_default {
    std::string_view name;
    std::string_view default_value;
    config_type type;
};

class broker_configs {
public:
    static std::span<const broker_config_default> all();
};

} // namespace strata::cluster
