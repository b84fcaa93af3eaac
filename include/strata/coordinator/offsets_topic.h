#pragma once
// The internal topic __consumer_offsets: which partition holds a group's
// state (as Kafka places it, so a group's coordinator is where clients expect)
// and how the topic is created.

#include <cstdint>
#include <string_view>

#include "strata/cluster/topic_table.h"

namespace strata::coordinator {

inline constexpr std::string_view offsets_topic_name = "__consumer_offsets";

// Kafka's placement: abs(Java String.hashCode(group)) % partitions.
int32_t offsets_partition_for(std::string_view group_id, int32_t partitions);

// Creates __consumer_offsets (compacted, offsets.topic.num.partitions
// partitions) unless it exists; returns it, or nullptr when it cannot be created.
cluster::topic* ensure_offsets_topic(cluster::topic_table& topics, int32_t partitions, int64_t now_ms);

} // namespace strata::coordinator
