#include "strata/kafka/server/handlers/consumer_group_describe.h"

#include "strata/kafka/server/group_routing.h"

namespace strata::kafka::server {
namespace {

msg::consumer_group_describe_response::assignment_data to_assignment(request_context& ctx,
                                                                     const coordinator::topic_partitions& tp) {
    msg::consumer_group_describe_response::assignment_data out;
    for (const auto& [topic, parts] : tp) {
        if (parts.empty()) continue;
        auto* t = ctx.server.topics.find(topic);
        out.topic_partitions.push_back({t ? t->id : uuid{}, topic, parts});
    }
    return out;
}

} // namespace

boost::asio::awaitable<consumer_group_describe_handler::response> consumer_group_describe_handler::handle(
    request_context& ctx, request& req) {
    response resp;
    for (const auto& id : req.group_ids) {
        auto& g = resp.groups.emplace_back();
        g.group_id = id;
        if (auto e = coordination_error(ctx.server, id)) {
            g.error_code = code(*e);
            continue;
        }
        const auto* group = ctx.server.consumer_groups.find(id);
        if (!group) {
            g.error_code = code(error_code::group_id_not_found);
            g.error_message = ctx.server.groups.find(id) ? "Group " + id + " is not a consumer group."
                                                         : "Group " + id + " not found.";
            g.group_state = "Dead";
            continue;
        }
        g.group_state = group->state();
        g.group_epoch = group->group_epoch();
        g.assignment_epoch = group->assignment_epoch();
        g.assignor_name = group->members().empty() ? "uniform" : group->members().begin()->second.assignor;
        for (const auto& [member_id, m] : group->members()) {
            auto& out = g.members.emplace_back();
            out.member_id = member_id;
            out.instance_id = m.instance_id;
            out.rack_id = m.rack_id;
            out.member_epoch = m.epoch;
            out.client_id = m.client_id;
            out.client_host = m.client_host;
            out.subscribed_topic_names = m.subscribed;
            out.subscribed_topic_regex = m.subscribed_regex;
            out.assignment = to_assignment(ctx, m.assigned);
            auto target = group->target().find(member_id);
            if (target != group->target().end()) out.target_assignment = to_assignment(ctx, target->second);
            out.member_type = 1;  // consumer protocol (KIP-1099: 0 classic, 1 consumer)
        }
    }
    co_return resp;
}

} // namespace strata::kafka::server
