#include "strata/kafka/server/handlers/metadata.h"

#include "strata/kafka/server/errors.h"
#include "strata/kafka/server/time.h"

namespace strata::kafka::server {
namespace {

using topic_out = msg::metadata_response::metadata_response_topic;

void describe_topic(request_context& ctx, const cluster::topic& t, topic_out& out) {
    out.error_code = code(error_code::none);
    out.name = t.name;
    out.topic_id = t.id;
    out.is_internal = t.internal();
    const auto& brokers = ctx.server.brokers;
    out.partitions.reserve(t.partitions.size());
    for (const auto& p : t.partitions) {
        const auto& a = p->assignment();
        auto& po = out.partitions.emplace_back();
        po.partition_index = p->id().partition();
        po.leader_epoch = a.leader_epoch;
        po.replica_nodes = a.replicas;
        po.isr_nodes = a.isr;
        for (int32_t r : a.replicas)
            if (!brokers.find(r)) po.offline_replicas.push_back(r);
        // A leader that is not live leads nothing: clients wait for a new one.
        const bool led = a.leader >= 0 && brokers.find(a.leader);
        po.leader_id = led ? a.leader : -1;
        po.error_code = code(led ? error_code::none : error_code::leader_not_available);
    }
}

} // namespace

boost::asio::awaitable<metadata_handler::response> metadata_handler::handle(request_context& ctx, request& req) {
    response resp;
    for (const auto& [id, broker] : ctx.server.brokers.live()) {
        auto& b = resp.brokers.emplace_back();
        b.node_id = id;
        b.host = broker.host;
        b.port = broker.port;
        b.rack = broker.rack;
    }
    resp.cluster_id = ctx.server.self.cluster_id;
    resp.controller_id = ctx.server.brokers.controller_id();

    auto& topics = ctx.server.topics;
    // A null list (v1+), or an empty one in v0, asks for every topic.
    const bool all = !req.topics || (ctx.api_version == 0 && req.topics->empty());
    if (all) {
        for (const auto& [name, t] : topics.topics()) describe_topic(ctx, *t, resp.topics.emplace_back());
        co_return resp;
    }
    const bool may_create = req.allow_auto_topic_creation && ctx.server.settings.auto_create_topics_enable;
    for (auto& wanted : *req.topics) {
        auto& out = resp.topics.emplace_back();
        out.name = wanted.name;
        out.topic_id = wanted.topic_id;
        cluster::topic* t = nullptr;
        // A non-zero id wins: Kafka 4 clients describing by id send an empty name.
        if (!wanted.topic_id.is_zero()) {
            t = topics.find(wanted.topic_id);
            if (!t) {
                out.error_code = code(error_code::unknown_topic_id);
                continue;
            }
            describe_topic(ctx, *t, out);
            continue;
        }
        if (wanted.name) t = topics.find(*wanted.name);
        if (!t && wanted.name) {
            if (!cluster::topic_table::valid_topic_name(*wanted.name)) {
                out.error_code = code(error_code::invalid_topic_exception);
                continue;
            }
            if (!may_create || wanted.name->starts_with("__")) {
                out.error_code = code(error_code::unknown_topic_or_partition);
                continue;
            }
            auto created = topics.create_topic(*wanted.name, ctx.server.settings.num_partitions, {}, wall_clock_ms());
            if (!created && created.error() != cluster::errc::topic_already_exists) {
                out.error_code = code(to_kafka_error(created.error()));
                continue;
            }
            t = topics.find(*wanted.name);
        }
        if (!t) {
            out.error_code = code(error_code::unknown_topic_or_partition);
            continue;
        }
        describe_topic(ctx, *t, out);
    }
    co_return resp;
}

} // namespace strata::kafka::server
