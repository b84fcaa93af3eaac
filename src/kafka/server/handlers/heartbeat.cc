#include "strata/kafka/server/handlers/heartbeat.h"

#include "strata/kafka/server/group_routing.h"

namespace strata::kafka::server {

boost::asio::awaitable<heartbeat_handler::response> heartbeat_handler::handle(request_context& ctx, request& req) {
    response resp;
    if (auto e = coordination_error(ctx.server, req.group_id)) {
        resp.error_code = code(*e);
        co_return resp;
    }
    resp.error_code =
        code(ctx.server.groups.heartbeat(req.group_id, req.generation_id, req.member_id, req.group_instance_id));
    co_return resp;
}

} // namespace strata::kafka::server
