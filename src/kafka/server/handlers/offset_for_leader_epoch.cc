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
            // A single node has had one leader epoch since each partition was
            // created, so every epoch up to it ends at the log end.
            if (part.leader_epoch < 0 || part.leader_epoch > current) continue;  // undefined: -1 / -1
            out.leader_epoch = current;
            out.end_offset = p->log().log_end_offset();
        }
    }
    co_return resp;
}

} // namespace strata::kafka::server
