#include "strata/kafka/server/handlers/delete_topics.h"

#include "strata/kafka/server/errors.h"

namespace strata::kafka::server {
namespace {

boost::asio::awaitable<void> delete_one(request_context& ctx, cluster::topic* t,
                                        msg::delete_topics_response::deletable_topic_result& out) {
    if (!t) co_return;
    if (!ctx.server.settings.delete_topic_enable) {
        out.error_code = code(error_code::topic_deletion_disabled);
        co_return;
    }
    auto name = t->name;
    auto r = co_await ctx.server.topic_admin.delete_topic(name);
    out.error_code = code(r ? error_code::none : to_kafka_error(r.error()));
}

} // namespace

boost::asio::awaitable<delete_topics_handler::response> delete_topics_handler::handle(request_context& ctx,
                                                                                      request& req) {
    response resp;
    auto& topics = ctx.server.topics;
    if (ctx.api_version < 6) {
        for (auto& name : req.topic_names) {
            auto& out = resp.responses.emplace_back();
            out.name = name;
            auto* t = topics.find(name);
            out.error_code = code(error_code::unknown_topic_or_partition);
            co_await delete_one(ctx, t, out);
        }
        co_return resp;
    }
    for (auto& wanted : req.topics) {
        auto& out = resp.responses.emplace_back();
        out.name = wanted.name;
        out.topic_id = wanted.topic_id;
        cluster::topic* t = wanted.name ? topics.find(*wanted.name) : topics.find(wanted.topic_id);
        if (!t) {
            out.error_code = code(wanted.name ? error_code::unknown_topic_or_partition : error_code::unknown_topic_id);
            continue;
        }
        out.name = t->name;
        out.topic_id = t->id;
        co_await delete_one(ctx, t, out);
    }
    co_return resp;
}

} // namespace strata::kafka::server
