#include "strata/kafka/server/handlers/delete_groups.h"

#include "strata/kafka/server/group_routing.h"

#include "strata/kafka/server/time.h"

namespace strata::kafka::server {

boost::asio::awaitable<delete_groups_handler::response> delete_groups_handler::handle(request_context& ctx,
                                                                                      request& req) {
    response resp;
    for (const auto& id : req.groups_names) {
        auto& out = resp.results.emplace_back();
        out.group_id = id;
        error_code e;
        if (auto routing = coordination_error(ctx.server, id)) {
            e = *routing;
        } else if (const auto* cg = ctx.server.consumer_groups.find(id); cg && !cg->empty()) {
            e = error_code::non_empty_group;
        } else if (cg) {
            // An empty consumer-protocol group: the group and its offsets go.
            e = co_await ctx.server.offsets.remove(id, {}, wall_clock_ms()) ? error_code::none
                                                                            : error_code::coordinator_not_available;
            if (e == error_code::none) ctx.server.consumer_groups.remove_empty(id);
        } else {
            e = co_await ctx.server.groups.delete_group(id);
        }
        out.error_code = code(e);
    }
    co_return resp;
}

} // namespace strata::kafka::server
