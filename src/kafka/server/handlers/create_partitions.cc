#include "strata/kafka/server/handlers/create_partitions.h"

#include "strata/kafka/server/errors.h"
#include <set>

namespace strata::kafka::server {

boost::asio::awaitable<create_partitions_handler::response> create_partitions_handler::handle(request_context& ctx,
                                                                                              request& req) {
    response resp;
    for (auto& t : req.topics) {
        auto& out = resp.results.emplace_back();
        out.name = t.name;
        auto* topic = ctx.server.topics.find(t.name);
        if (!topic) {
            out.error_code = code(error_code::unknown_topic_or_partition);
            out.error_message = "The topic '" + t.name + "' does not exist.";
            continue;
        }
        auto current = int32_t(topic->partitions.size());
        if (t.count <= current) {
            out.error_code = code(error_code::invalid_partitions);
            out.error_message = t.count == current
                                    ? "Topic already has " + std::to_string(current) + " partitions."
                                    : "Topic currently has " + std::to_string(current) +
                                          " partitions, which is higher than the requested " + std::to_string(t.count) +
                                          ".";
            continue;
        }
        std::vector<std::vector<int32_t>> assignments;
        if (t.assignments) {
            // As many replicas as the topic's partitions have, on registered brokers.
            const size_t replicas = topic->partitions.front()->assignment().replicas.size();
            bool valid = int32_t(t.assignments->size()) == t.count - current;
            for (const auto& a : *t.assignments) {
                std::set<int32_t> distinct(a.broker_ids.begin(), a.broker_ids.end());
                valid = valid && a.broker_ids.size() == replicas && distinct.size() == replicas;
                for (int32_t id : a.broker_ids) valid = valid && ctx.server.brokers.find(id);
                assignments.push_back(a.broker_ids);
            }
            if (!valid) {
                out.error_code = code(error_code::invalid_replica_assignment);
                out.error_message = "Invalid replica assignment for the new partitions.";
                continue;
            }
        }
        if (req.validate_only) {
            out.error_code = code(error_code::none);
            continue;
        }
        auto r = co_await ctx.server.topic_admin.create_partitions(t.name, t.count, std::move(assignments));
        out.error_code = code(r ? error_code::none : to_kafka_error(r.error()));
    }
    co_return resp;
}

} // namespace strata::kafka::server
