#include "strata/kafka/server/handlers/find_coordinator.h"

#include "strata/coordinator/offsets_topic.h"
#include "strata/kafka/server/time.h"

namespace strata::kafka::server {
namespace {

// FindCoordinator key types.
constexpr int8_t group_key = 0;
constexpr int8_t transaction_key = 1;

struct located {
    error_code error = error_code::none;
    std::string message;
    const cluster::broker_endpoint* coordinator = nullptr;
};

// A group's coordinator is the leader of its __consumer_offsets partition.
located locate(request_context& ctx, int8_t key_type, const std::string& key) {
    if (key_type == group_key) {
        if (!ctx.server.offsets.ensure_topic(wall_clock_ms()))
            return {error_code::coordinator_not_available, "The offsets topic is not available yet.", nullptr};
        const auto partition = coordinator::offsets_partition_for(key, ctx.server.offsets.partitions());
        auto* p = ctx.server.topics.find(
            topic_partition{std::string(coordinator::offsets_topic_name), partition_id(partition)});
        const auto* leader = p ? ctx.server.brokers.find(p->assignment().leader) : nullptr;
        if (!leader)
            return {error_code::coordinator_not_available,
                    "Partition " + std::to_string(partition) + " of the offsets topic has no leader.", nullptr};
        return {error_code::none, {}, leader};
    }
    if (key_type == transaction_key)
        return {error_code::coordinator_not_available, "Transactions are not supported yet.", nullptr};
    return {error_code::invalid_request, "Unknown coordinator key type " + std::to_string(key_type), nullptr};
}

template <typename Out>
void answer(const located& l, Out& out) {
    out.error_code = code(l.error);
    if (!l.coordinator) {
        out.error_message = l.message;
        out.node_id = -1;
        out.port = -1;
        return;
    }
    out.node_id = l.coordinator->node_id;
    out.host = l.coordinator->host;
    out.port = l.coordinator->port;
}

} // namespace

boost::asio::awaitable<find_coordinator_handler::response> find_coordinator_handler::handle(request_context& ctx,
                                                                                            request& req) {
    response resp;
    if (ctx.api_version < 4) {
        answer(locate(ctx, req.key_type, req.key), resp);
        co_return resp;
    }
    // v4+: batched keys (KIP-699).
    for (const auto& key : req.coordinator_keys) {
        auto& c = resp.coordinators.emplace_back();
        c.key = key;
        answer(locate(ctx, req.key_type, key), c);
    }
    co_return resp;
}

} // namespace strata::kafka::server
