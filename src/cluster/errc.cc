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
    }
    return "cluster error";
}

} // namespace strata::cluster
