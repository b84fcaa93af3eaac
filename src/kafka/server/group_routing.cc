#include "strata/kafka/server/group_routing.h"

#include "strata/coordinator/offsets_topic.h"

namespace strata::kafka::server {

std::optional<error_code> coordination_error(const server_context& server, std::string_view group) {
    if (!server.brokers.clustered()) return std::nullopt;
    const auto partitions = server.offsets.partitions();
    const auto* p = server.topics.find(topic_partition{std::string(coordinator::offsets_topic_name),
                                                       partition_id(coordinator::offsets_partition_for(group, partitions))});
    if (!p) return error_code::coordinator_not_available;
    if (!p->is_leader()) return error_code::not_coordinator;
    return std::nullopt;
}

} // namespace strata::kafka::server
