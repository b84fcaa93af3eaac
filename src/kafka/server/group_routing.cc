#include "strata/kafka/server/group_routing.h"

#include "strata/coordinator/offsets_topic.h"

namespace strata::kafka::server {

std::optional<error_code> coordination_error(const server_context& server, std::string_view group) {
    if (!server.brokers.clustered()) return std::nullopt;
    const auto partition = server.offsets.partition_of(group);
    const auto* p = server.topics.find(topic_partition{std::string(coordinator::offsets_topic_name),
                                                       partition_id(partition)});
    if (!p) return error_code::coordinator_not_available;
    if (!p->is_leader()) return error_code::not_coordinator;
    // Led, but its groups are not replayed yet (or could not be read).
    if (!server.offsets.loaded(partition)) return error_code::coordinator_load_in_progress;
    return std::nullopt;
}

} // namespace strata::kafka::server
