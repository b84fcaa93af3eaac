#include "strata/kafka/server/handlers/offset_delete.h"

#include "strata/kafka/server/group_routing.h"

#include "strata/kafka/server/time.h"

namespace strata::kafka::server {

boost::asio::awaitable<offset_delete_handler::response> offset_delete_handler::handle(request_context& ctx,
                                                                                      request& req) {
    response resp;
    if (auto e = coordination_error(ctx.server, req.group_id)) {
        resp.error_code = code(*e);
        co_return resp;
    }
    const auto* consumer_group = ctx.server.consumer_groups.find(req.group_id);
    const auto* classic = ctx.server.groups.find(req.group_id);
    error_code group_error = error_code::none;
    if (!consumer_group || classic) group_error = ctx.server.groups.validate_offset_delete(req.group_id);
    if (group_error != error_code::none) {
        resp.error_code = code(group_error);
        co_return resp;
    }
    // A topic the group consumes keeps its offsets: deleting them would rewind active members.
    auto subscribed = [&](const std::string& topic) {
        if (consumer_group) {
            for (const auto& [id, m] : consumer_group->members())
                if (std::find(m.subscribed.begin(), m.subscribed.end(), topic) != m.subscribed.end()) return true;
            return false;
        }
        return classic && !classic->is(coordinator::classic_state::empty) && classic->subscribed_to(topic);
    };
    std::vector<std::pair<std::string, int32_t>> removing;
    for (const auto& topic : req.topics) {
        auto& topic_out = resp.topics.emplace_back();
        topic_out.name = topic.name;
        const bool known = ctx.server.topics.find(topic.name) != nullptr;
        const bool in_use = subscribed(topic.name);
        for (const auto& p : topic.partitions) {
            auto& out = topic_out.partitions.emplace_back();
            out.partition_index = p.partition_index;
            if (!known) {
                out.error_code = code(error_code::unknown_topic_or_partition);
            } else if (in_use) {
                out.error_code = code(error_code::group_subscribed_to_topic);
            } else {
                out.error_code = code(error_code::none);
                if (ctx.server.offsets.find(req.group_id, topic.name, p.partition_index))
                    removing.emplace_back(topic.name, p.partition_index);
            }
        }
    }
    if (!removing.empty() && !co_await ctx.server.offsets.remove(req.group_id, removing, wall_clock_ms()))
        resp.error_code = code(error_code::coordinator_not_available);
    co_return resp;
}

} // namespace strata::kafka::server
