#include "strata/kafka/server/handlers/sync_group.h"

#include "strata/kafka/server/group_routing.h"

namespace strata::kafka::server {

boost::asio::awaitable<sync_group_handler::response> sync_group_handler::handle(request_context& ctx, request& req) {
    if (auto e = coordination_error(ctx.server, req.group_id)) {
        response resp;
        resp.error_code = code(*e);
        co_return resp;
    }
    coordinator::sync_group_args args;
    args.group_id = req.group_id;
    args.generation = req.generation_id;
    args.member_id = req.member_id;
    args.instance_id = req.group_instance_id;
    args.protocol_type = req.protocol_type;
    args.protocol_name = req.protocol_name;
    for (auto& a : req.assignments) args.assignments.emplace_back(std::move(a.member_id), std::move(a.assignment));

    auto result = co_await ctx.server.groups.sync(std::move(args));
    response resp;
    resp.error_code = code(result.error);
    resp.assignment = std::move(result.assignment);
    if (ctx.api_version >= 5) {
        resp.protocol_type = result.protocol_type;
        resp.protocol_name = result.protocol_name;
    }
    co_return resp;
}

} // namespace strata::kafka::server
