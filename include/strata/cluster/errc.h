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
    invalid_replica_assignment,
    creation_in_progress,    // handed to the cluster; the topic appears once etcd has it
    metadata_unavailable,    // etcd did not answer, or answered too late
    concurrent_change,       // someone else changed the topic meanwhile; try again
};

// For log lines and error messages.
const char* to_string(errc e);

} // namespace strata::cluster
