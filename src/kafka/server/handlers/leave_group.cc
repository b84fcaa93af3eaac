#include "strata/kafka/server/handlers/leave_group.h"

#include "strata/kafka/server/group_routing.h"

namespace strata::kafka::server {

boost::asio::awaitable<leave_group_handler::response> leave_group_handler::handle(request_context& ctx,
                                                                                  request& req) {
    if (auto e = coordination_error(ctx.server, req.group_id)) {
        response resp;
        resp.error_code = code(*e);
        co_return resp;
    }
    std::vector<coordinator::leave_member> leaving;
    if (ctx.api_version >= 3) {
        for (const auto& m : req.members) leaving.push_back({m.member_id, m.group_instance_id});
    } else {
        leaving.push_back({req.member_id, std::nullopt});
    }
    auto result = ctx.server.groups.leave(req.group_id, leaving);
    response resp;
    resp.error_code = code(result.error);
    if (ctx.api_version >= 3) {
        for (size_t i = 0; i < result.members.size(); ++i) {
            auto& out = resp.members.emplace_back();
            out.member_id = leaving[i].member_id;
            out.group_instance_id = leaving[i].instance_id;
            out.error_code = code(result.members[i]);
        }
    } else if (result.error == error_code::none && !result.members.empty()) {
        // One member, no per-member list: its outcome is the request's.
        resp.error_code = code(result.members.front());
    }
    co_return resp;
}

} // namespace strata::kafka::server
