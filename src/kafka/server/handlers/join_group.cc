#include "strata/kafka/server/handlers/join_group.h"

#include "strata/kafka/server/group_routing.h"

namespace strata::kafka::server {

boost::asio::awaitable<join_group_handler::response> join_group_handler::handle(request_context& ctx, request& req) {
    if (auto e = coordination_error(ctx.server, req.group_id)) {
        response resp;
        resp.error_code = code(*e);
        resp.member_id = req.member_id;
        co_return resp;
    }
    if (const auto* cg = ctx.server.consumer_groups.find(req.group_id)) {
        if (!cg->empty()) {
            // Kafka lets classic members into a consumer-protocol group (online
            // migration); Strata does not mix protocols within one group, so it
            // refuses the join as Kafka refuses protocols a group cannot serve.
            response resp;
            resp.error_code = code(error_code::inconsistent_group_protocol);
            resp.member_id = req.member_id;
            co_return resp;
        }
        // An empty consumer-protocol group becomes a classic group; its offsets stay.
        ctx.server.consumer_groups.remove_empty(req.group_id);
    }
    coordinator::join_group_args args;
    args.group_id = req.group_id;
    args.member_id = req.member_id;
    args.instance_id = req.group_instance_id;
    args.client_id = ctx.client_id.value_or("");
    // Kafka reports the address as Java's InetAddress prints it.
    args.client_host = "/" + ctx.connection.peer_address;
    args.session_timeout_ms = req.session_timeout_ms;
    args.rebalance_timeout_ms = ctx.api_version >= 1 ? req.rebalance_timeout_ms : -1;
    args.protocol_type = req.protocol_type;
    for (auto& p : req.protocols) args.protocols.push_back({std::move(p.name), std::move(p.metadata)});
    args.version = ctx.api_version;

    auto result = co_await ctx.server.groups.join(std::move(args));
    response resp;
    resp.error_code = code(result.error);
    resp.generation_id = result.generation;
    resp.member_id = result.member_id;
    resp.leader = result.leader;
    resp.skip_assignment = result.skip_assignment;
    if (ctx.api_version >= 7) {
        resp.protocol_type = result.protocol_type;
        resp.protocol_name = result.protocol_name;
    } else {
        resp.protocol_name = result.protocol_name.value_or("");
    }
    for (auto& m : result.members) {
        auto& out = resp.members.emplace_back();
        out.member_id = std::move(m.member_id);
        out.group_instance_id = std::move(m.instance_id);
        out.metadata = std::move(m.metadata);
    }
    co_return resp;
}

} // namespace strata::kafka::server
