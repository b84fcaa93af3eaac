#include "strata/kafka/server/handlers/list_offsets.h"

#include "strata/kafka/server/errors.h"

namespace strata::kafka::server {
namespace {

// The special timestamps of ListOffsets requests.
constexpr int64_t latest_timestamp = -1;
constexpr int64_t earliest_timestamp = -2;
constexpr int64_t max_timestamp = -3;        // v7+
constexpr int64_t earliest_local_timestamp = -4;  // v8+ (KIP-405)
constexpr int64_t latest_tiered_timestamp = -5;   // v9+ (KIP-1005)

} // namespace

boost::asio::awaitable<list_offsets_handler::response> list_offsets_handler::handle(request_context& ctx,
                                                                                    request& req) {
    response resp;
    for (auto& topic : req.topics) {
        auto& topic_out = resp.topics.emplace_back();
        topic_out.name = topic.name;
        for (auto& part : topic.partitions) {
            auto& out = topic_out.partitions.emplace_back();
            out.partition_index = part.partition_index;
            auto* p = ctx.server.topics.find(topic_partition{topic.name, partition_id(part.partition_index)});
            if (!p) {
                out.error_code = code(error_code::unknown_topic_or_partition);
                continue;
            }
            if (!p->is_leader()) {
                out.error_code = code(error_code::not_leader_or_follower);
                continue;
            }
            auto& log = p->log();
            out.error_code = code(error_code::none);
            out.leader_epoch = p->leader_epoch();
            out.timestamp = -1;
            switch (part.timestamp) {
            case latest_timestamp: out.offset = p->high_watermark(); break;
            case earliest_timestamp:
            case earliest_local_timestamp: out.offset = log.log_start_offset(); break;
            case latest_tiered_timestamp: out.offset = -1; break;  // nothing is tiered yet
            case max_timestamp: {
                auto found = log.max_timestamp_offset();
                if (!found) {
                    out.error_code = code(to_kafka_error(found.error()));
                    break;
                }
                out.offset = found->offset;
                out.timestamp = found->timestamp;
                break;
            }
            default: {
                if (part.timestamp < 0) {
                    out.error_code = code(error_code::invalid_request);
                    break;
                }
                auto found = log.find_offset_by_timestamp(part.timestamp);
                if (!found) {
                    out.error_code = code(to_kafka_error(found.error()));
                    break;
                }
                out.offset = found->offset;
                out.timestamp = found->timestamp;
            }
            }
        }
    }
    co_return resp;
}

} // namespace strata::kafka::server
