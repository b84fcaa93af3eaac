#include "strata/kafka/server/handlers/describe_groups.h"

#include "strata/kafka/server/group_routing.h"

namespace strata::kafka::server {
namespace {

using described = msg::describe_groups_response::described_group;

void describe_classic(const coordinator::classic_group& g, described& out) {
    out.group_state = std::string(coordinator::to_string(g.state()));
    out.protocol_type = g.protocol_type().value_or("");
    // Kafka shows the protocol and the members' metadata only once the group is stable.
    const bool stable = g.is(coordinator::classic_state::stable);
    out.protocol_data = stable ? g.protocol_name().value_or("") : "";
    for (const auto& [id, m] : g.members()) {
        auto& member = out.members.emplace_back();
        member.member_id = id;
        member.group_instance_id = m.instance_id;
        member.client_id = m.client_id;
        member.client_host = m.client_host;
        if (stable) {
            if (const auto* meta = m.metadata(g.protocol_name().value_or(""))) member.member_metadata = *meta;
            member.member_assignment = m.assignment;
        }
    }
}

} // namespace

boost::asio::awaitable<describe_groups_handler::response> describe_groups_handler::handle(request_context& ctx,
                                                                                          request& req) {
    response resp;
    for (const auto& id : req.groups) {
        auto& out = resp.groups.emplace_back();
        out.group_id = id;
        if (ctx.api_version >= 3 && req.include_authorized_operations) out.authorized_operations = 0;
        if (auto e = coordination_error(ctx.server, id)) {
            out.error_code = code(*e);
            continue;
        }
        if (const auto* g = ctx.server.groups.find(id); g && !g->is(coordinator::classic_state::dead)) {
            describe_classic(*g, out);
        } else if (ctx.server.consumer_groups.find(id)) {
            // Kafka describes only classic groups here; the admin client asks
            // ConsumerGroupDescribe about consumer-protocol groups.
            out.group_state = "Dead";
            if (ctx.api_version >= 6) {
                out.error_code = code(error_code::group_id_not_found);
                out.error_message = "Group " + id + " is not a classic group.";
            }
        } else if (ctx.server.offsets.offsets_of(id)) {
            // Only committed offsets (simple consumers): an empty classic group.
            out.group_state = "Empty";
        } else if (ctx.api_version >= 6) {
            out.error_code = code(error_code::group_id_not_found);
            out.error_message = "Group " + id + " not found.";
        } else {
            out.group_state = "Dead";
        }
    }
    co_return resp;
}

} // namespace strata::kafka::server
