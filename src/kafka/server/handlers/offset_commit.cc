#include "strata/kafka/server/handlers/offset_commit.h"

#include "strata/kafka/server/group_routing.h"

#include "strata/kafka/server/time.h"

namespace strata::kafka::server {
namespace {

// offset.metadata.max.bytes: Kafka's default limit on commit metadata.
constexpr size_t max_metadata_bytes = 4096;

coordinator::topic_partitions committed_partitions(const msg::offset_commit_request& req) {
    coordinator::topic_partitions out;
    for (const auto& t : req.topics)
        for (const auto& p : t.partitions) out[t.name].push_back(p.partition_index);
    return out;
}

} // namespace

boost::asio::awaitable<offset_commit_handler::response> offset_commit_handler::handle(request_context& ctx,
                                                                                      request& req) {
    response resp;
    // One error for every partition when the group or member is wrong.
    error_code group_error = error_code::none;
    if (req.group_id.empty())
        group_error = error_code::invalid_group_id;
    else if (auto e = coordination_error(ctx.server, req.group_id))
        group_error = *e;
    else if (auto verdict = ctx.server.consumer_groups.validate_offset_commit(
                 req.group_id, req.generation_id_or_member_epoch, req.member_id, committed_partitions(req),
                 ctx.api_version))
        group_error = *verdict;  // a KIP-848 group: member epochs instead of generations
    else
        group_error = ctx.server.groups.validate_offset_commit(req.group_id, req.generation_id_or_member_epoch,
                                                               req.member_id, req.group_instance_id,
                                                               ctx.api_version);

    std::vector<coordinator::offset_commit_entry> entries;
    // (topic index, partition index) of each entry, to report its outcome.
    std::vector<std::pair<size_t, size_t>> slots;
    const int64_t now = wall_clock_ms();
    // v2-4 may set the offsets' own retention (-1: the broker's offsets.retention.minutes).
    const int64_t expire_at =
        ctx.api_version <= 4 && req.retention_time_ms >= 0 ? now + req.retention_time_ms : int64_t(-1);
    for (auto& topic : req.topics) {
        auto& topic_out = resp.topics.emplace_back();
        topic_out.name = topic.name;
        auto* known = ctx.server.topics.find(topic.name);
        for (auto& part : topic.partitions) {
            auto& out = topic_out.partitions.emplace_back();
            out.partition_index = part.partition_index;
            if (group_error != error_code::none) {
                out.error_code = code(group_error);
                continue;
            }
            if (!known || part.partition_index < 0 || part.partition_index >= int32_t(known->partitions.size())) {
                out.error_code = code(error_code::unknown_topic_or_partition);
                continue;
            }
            const std::string metadata = part.committed_metadata.value_or("");
            if (metadata.size() > max_metadata_bytes) {
                out.error_code = code(error_code::offset_metadata_too_large);
                continue;
            }
            out.error_code = code(error_code::none);
            entries.push_back({topic.name, part.partition_index,
                               coordinator::committed_offset{part.committed_offset, part.committed_leader_epoch,
                                                             metadata, now, expire_at, -1}});
            slots.emplace_back(resp.topics.size() - 1, topic_out.partitions.size() - 1);
        }
    }
    const size_t committing = entries.size();
    if (committing > 0 && co_await ctx.server.offsets.commit(req.group_id, std::move(entries), now)) {
        ctx.server.group_probe.offsets_committed(req.group_id, committing);
    } else if (committing > 0) {
        // The write failed; the client retries with the coordinator it finds again.
        for (auto [t, p] : slots) resp.topics[t].partitions[p].error_code = code(error_code::coordinator_not_available);
    }
    co_return resp;
}

} // namespace strata::kafka::server
