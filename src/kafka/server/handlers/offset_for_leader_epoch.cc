#include "strata/kafka/server/handlers/offset_for_leader_epoch.h"

namespace strata::kafka::server {

boost::asio::awaitable<offset_for_leader_epoch_handler::response> offset_for_leader_epoch_handler::handle(
    request_context& ctx, request& req) {
    response resp;
    for (auto& topic : req.topics) {
        auto& topic_out = resp.topics.emplace_back();
        topic_out.topic = topic.topic;
        for (auto& part : topic.partitions) {
            auto& out = topic_out.partitions.emplace_back();
            out.partition = part.partition;
            auto* p = ctx.server.topics.find(topic_partition{topic.topic, partition_id(part.partition)});
            if (!p) {
                out.error_code = code(error_code::unknown_topic_or_partition);
                continue;
            }
            if (!p->is_leader()) {
                out.error_code = code(error_code::not_leader_or_follower);
                continue;
            }
            const int32_t current = p->leader_epoch();
            if (part.current_leader_epoch > current) {
                out.error_code = code(error_code::unknown_leader_epoch);
                continue;
            }
            if (part.current_leader_epoch >= 0 && part.current_leader_epoch < current) {
                out.error_code = code(error_code::fenced_leader_epoch);
                continue;
            }
            out.error_code = code(error_code::none);
            if (part.leader_epoch < 0 || part.leader_epoch > current) continue;  // undefined: -1 / -1
            // The largest epoch not above the one asked for, and where the next began.
            auto& log = p->log();
            auto end = log.leader_epochs().end_offset_for(part.leader_epoch, log.log_end_offset());
            if (!end) {
                // An empty log (or one older than any epoch kept): the asked epoch ends where the log does.
                if (log.leader_epochs().entries().empty()) {
                    out.leader_epoch = current;
                    out.end_offset = log.log_end_offset();
                }
                continue;
            }
            out.leader_epoch = end->first;
            out.end_offset = end->second;
        }
    }
    co_return resp;
}

} // namespace strata::kafka::server
