#include "strata/kafka/server/handlers/elect_leaders.h"

namespace strata::kafka::server {
namespace {

// ElectLeaders' election types.
constexpr int8_t preferred_election = 0;
constexpr int8_t unclean_election = 1;

using election = cluster::replication_controller::election;

std::pair<error_code, std::string> outcome(election e, bool preferred) {
    switch (e) {
    case election::elected: return {error_code::none, {}};
    case election::not_needed:
        return {error_code::election_not_needed, preferred ? "The preferred replica is already the leader."
                                                           : "The partition has a live leader."};
    case election::no_eligible_leader:
        return preferred ? std::pair{error_code::preferred_leader_not_available,
                                     std::string("The preferred replica is not live and in sync.")}
                         : std::pair{error_code::eligible_leaders_not_available,
                                     std::string("No replica of the partition is live.")};
    case election::unknown_partition:
        return {error_code::unknown_topic_or_partition, "The partition does not exist."};
    case election::failed:
        return {error_code::request_timed_out, "The election could not be written; try again."};
    }
    return {error_code::unknown_server_error, {}};
}

} // namespace

boost::asio::awaitable<elect_leaders_handler::response> elect_leaders_handler::handle(request_context& ctx,
                                                                                      request& req) {
    response resp;
    const int8_t type = ctx.api_version >= 1 ? req.election_type : preferred_election;
    if (type != preferred_election && type != unclean_election) {
        resp.error_code = code(error_code::invalid_request);
        co_return resp;
    }
    const bool preferred = type == preferred_election;
    // Null asks for every partition.
    std::vector<std::pair<std::string, std::vector<int32_t>>> wanted;
    if (req.topic_partitions) {
        for (const auto& tp : *req.topic_partitions) wanted.emplace_back(tp.topic, tp.partitions);
    } else {
        for (const auto& [name, t] : ctx.server.topics.topics()) {
            std::vector<int32_t> all;
            for (const auto& p : t->partitions) all.push_back(p->id().partition());
            wanted.emplace_back(name, std::move(all));
        }
    }
    const auto timeout = std::chrono::milliseconds(std::max(req.timeout_ms, 0));
    for (const auto& [topic, partitions] : wanted) {
        auto& out = resp.replica_election_results.emplace_back();
        out.topic = topic;
        for (int32_t partition : partitions) {
            election e = election::unknown_partition;
            if (ctx.server.replication) {
                e = co_await ctx.server.replication->elect(topic, partition, preferred, timeout);
            } else if (auto* p = ctx.server.topics.find(topic_partition{topic, partition_id(partition)})) {
                // A single broker leads all it has: nothing to elect.
                (void)p;
                e = election::not_needed;
            }
            auto [error, message] = outcome(e, preferred);
            auto& r = out.partition_result.emplace_back();
            r.partition_id = partition;
            r.error_code = code(error);
            if (error != error_code::none) r.error_message = message;
        }
    }
    co_return resp;
}

} // namespace strata::kafka::server
