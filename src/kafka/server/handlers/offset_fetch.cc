#include "strata/kafka/server/handlers/offset_fetch.h"

#include "strata/kafka/server/group_routing.h"

namespace strata::kafka::server {
namespace {

// Fills `out` (a response topic list) with the group's offsets for the
// requested partitions, or for everything it committed when `wanted` is null.
template<class TopicsOut, class TopicsIn>
void describe(const coordinator::offset_store& store, const std::string& group, const std::optional<TopicsIn>& wanted,
              TopicsOut& out) {
    auto fill = [](auto& p, const coordinator::committed_offset* c) {
        p.error_code = code(error_code::none);
        p.committed_offset = c ? c->offset : -1;
        p.committed_leader_epoch = c ? c->leader_epoch : -1;
        p.metadata = c ? c->metadata : std::string();
    };
    if (!wanted) {
        if (const auto* all = store.offsets_of(group)) {
            for (const auto& [topic, parts] : *all) {
                auto& t = out.emplace_back();
                t.name = topic;
                for (const auto& [partition, c] : parts) {
                    auto& p = t.partitions.emplace_back();
                    p.partition_index = partition;
                    fill(p, &c);
                }
            }
        }
        return;
    }
    for (const auto& topic : *wanted) {
        auto& t = out.emplace_back();
        t.name = topic.name;
        for (int32_t partition : topic.partition_indexes) {
            auto& p = t.partitions.emplace_back();
            p.partition_index = partition;
            // Partitions without a commit answer -1 with no error, as in Kafka.
            fill(p, store.find(group, topic.name, partition));
        }
    }
}

} // namespace

boost::asio::awaitable<offset_fetch_handler::response> offset_fetch_handler::handle(request_context& ctx,
                                                                                    request& req) {
    response resp;
    const auto& store = ctx.server.offsets;
    if (ctx.api_version < 8) {
        if (auto e = coordination_error(ctx.server, req.group_id)) {
            resp.error_code = code(*e);
            co_return resp;
        }
        co_await ctx.server.offsets.settled(req.group_id);
        // v1 has no null list: an empty one there means nothing, as the client sent it.
        describe(store, req.group_id, req.topics, resp.topics);
        co_return resp;
    }
    for (const auto& g : req.groups) co_await ctx.server.offsets.settled(g.group_id);
    for (const auto& g : req.groups) {
        auto& out = resp.groups.emplace_back();
        out.group_id = g.group_id;
        if (auto e = coordination_error(ctx.server, g.group_id)) {
            out.error_code = code(*e);
            continue;
        }
        describe(store, g.group_id, g.topics, out.topics);
    }
    co_return resp;
}

} // namespace strata::kafka::server
