#include "strata/kafka/server/handlers/alter_partition_reassignments.h"

#include <string>

namespace strata::kafka::server {
namespace {

using reassignment = cluster::replication_controller::reassignment;

std::pair<error_code, std::string> outcome(reassignment r) {
    switch (r) {
    case reassignment::accepted: return {error_code::none, {}};
    case reassignment::no_reassignment:
        return {error_code::no_reassignment_in_progress, "No reassignment is in progress for the partition."};
    case reassignment::unknown_partition:
        return {error_code::unknown_topic_or_partition, "The partition does not exist."};
    case reassignment::invalid_replicas:
        return {error_code::invalid_replica_assignment,
                "The replicas must be distinct live brokers, at least one of them."};
    case reassignment::replication_factor_change:
        return {error_code::invalid_replication_factor,
                "The reassignment would change the replication factor, which the request does not allow."};
    case reassignment::failed:
        return {error_code::request_timed_out, "The reassignment could not be written; try again."};
    }
    return {error_code::unknown_server_error, {}};
}

// A single broker has one place for every replica: itself.
reassignment on_single_broker(request_context& ctx, const std::string& topic, int32_t partition,
                              const std::optional<std::vector<int32_t>>& target) {
    if (!ctx.server.topics.find(topic_partition{topic, partition_id(partition)})) return reassignment::unknown_partition;
    if (!target) return reassignment::no_reassignment;
    if (*target != std::vector<int32_t>{ctx.server.self.node_id}) return reassignment::invalid_replicas;
    return reassignment::accepted;
}

} // namespace

boost::asio::awaitable<alter_partition_reassignments_handler::response> alter_partition_reassignments_handler::handle(
    request_context& ctx, request& req) {
    response resp;
    const bool allow_rf_change = ctx.api_version < 1 || req.allow_replication_factor_change;
    resp.allow_replication_factor_change = allow_rf_change;
    const auto timeout = std::chrono::milliseconds(std::max(req.timeout_ms, 0));
    for (const auto& topic : req.topics) {
        auto& out = resp.responses.emplace_back();
        out.name = topic.name;
        for (const auto& p : topic.partitions) {
            const auto r = ctx.server.replication
                               ? co_await ctx.server.replication->reassign(topic.name, p.partition_index, p.replicas,
                                                                           allow_rf_change, timeout)
                               : on_single_broker(ctx, topic.name, p.partition_index, p.replicas);
            auto [error, message] = outcome(r);
            auto& po = out.partitions.emplace_back();
            po.partition_index = p.partition_index;
            po.error_code = code(error);
            if (error != error_code::none) po.error_message = message;
        }
    }
    co_return resp;
}

} // namespace strata::kafka::server
