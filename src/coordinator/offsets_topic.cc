#include "strata/coordinator/offsets_topic.h"

#include <cstdlib>

#include <spdlog/spdlog.h>

namespace strata::coordinator {

int32_t offsets_partition_for(std::string_view group_id, int32_t partitions) {
    // Java's String.hashCode over UTF-16 code units; group ids are almost
    // always ASCII, where bytes and code units coincide.
    int32_t h = 0;
    for (unsigned char c : group_id) h = int32_t(uint32_t(h) * 31u + c);
    // Kafka's Utils.abs maps INT_MIN to 0 rather than overflowing.
    int32_t abs = h == INT32_MIN ? 0 : std::abs(h);
    return abs % partitions;
}

cluster::topic* ensure_offsets_topic(cluster::topic_table& topics, int32_t partitions, int64_t now_ms) {
    if (auto* t = topics.find(offsets_topic_name)) return t;
    // Kafka's settings for the topic: compacted, segments of offsets.topic.segment.bytes.
    std::string segment_bytes = "104857600";
    if (auto it = topics.broker_props().find("offsets.topic.segment.bytes"); it != topics.broker_props().end())
        segment_bytes = it->second;
    auto created = topics.create_topic(std::string(offsets_topic_name), partitions,
                                       cluster::schema_validation_config::switched_off(
                                           {{"cleanup.policy", "compact"}, {"segment.bytes", segment_bytes}}),
                                       now_ms);
    if (!created) {
        if (created.error() != cluster::errc::creation_in_progress) spdlog::error("cannot create {}", offsets_topic_name);
        return nullptr;
    }
    return *created;
}

} // namespace strata::coordinator
