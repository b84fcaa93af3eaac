#pragma once
// Errors of the cluster module (topic administration).

#include <cstdint>

namespace strata::cluster {

enum class errc : uint8_t {
    topic_already_exists = 1,
    invalid_topic_name,
    invalid_partitions,
    invalid_replication_factor,
    invalid_config,
    unknown_topic,
    storage_error,
    deletion_disabled,
};

// For log lines and error messages.
const char* to_string(errc e);

} // namespace strata::cluster
