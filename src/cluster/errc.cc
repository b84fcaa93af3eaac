#include "strata/cluster/errc.h"

namespace strata::cluster {

const char* to_string(errc e) {
    switch (e) {
    case errc::topic_already_exists: return "topic already exists";
    case errc::invalid_topic_name: return "invalid topic name";
    case errc::invalid_partitions: return "invalid partition count";
    case errc::invalid_replication_factor: return "invalid replication factor";
    case errc::invalid_config: return "invalid config";
    case errc::unknown_topic: return "unknown topic";
    case errc::storage_error: return "storage error";
    case errc::deletion_disabled: return "topic deletion is disabled";
    case errc::invalid_replica_assignment: return "invalid replica assignment";
    case errc::creation_in_progress: return "topic creation in progress";
    case errc::metadata_unavailable: return "cluster metadata (etcd) unavailable";
    case errc::concurrent_change: return "the topic was changed concurrently";
    }
    return "cluster error";
}

} // namespace strata::cluster
