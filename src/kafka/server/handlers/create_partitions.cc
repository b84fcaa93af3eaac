#include "strata/kafka/server/handlers/create_partitions.h"

#include "strata/kafka/server/errors.h"
#include "strata/kafka/server/time.h"

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
        if (t.assignments) {
            bool valid = int32_t(t.assignments->size()) == t.count - current;
            for (const auto& a : *t.assignments)
                valid = valid && a.broker_ids.size() == 1 && a.broker_ids.front() == ctx.server.self.node_id;
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
        auto r = ctx.server.topics.create_partitions(t.name, t.count, wall_clock_ms());
        out.error_code = code(r ? error_code::none : to_kafka_error(r.error()));
    }
    co_return resp;
}

} // namespace strata::kafka::server
