#pragma once
// Vocabulary types shared by every module.

#include <cstdint>
#include <string>

#include "strata/base/named_type.h"

namespace strata {

// A record's position in a partition's log.
using offset = named_type<int64_t, struct offset_tag>;
// The epoch of a partition leader (KIP-101); fences stale leaders and drives truncation.
using leader_epoch = named_type<int32_t, struct leader_epoch_tag>;
using node_id = named_type<int32_t, struct node_id_tag>;
using partition_id = named_type<int32_t, struct partition_id_tag>;
using producer_id = named_type<int64_t, struct producer_id_tag>;
using producer_epoch = named_type<int16_t, struct producer_epoch_tag>;
// Milliseconds since the Unix epoch, as Kafka record timestamps are.
using timestamp_ms = named_type<int64_t, struct timestamp_ms_tag>;

// A topic and one of its partitions.
struct topic_partition {
    std::string topic;
    partition_id partition;
    auto operator<=>(const topic_partition&) const = default;
};

} // namespace strata

template<>
struct std::hash<strata::topic_partition> {
    size_t operator()(const strata::topic_partition& tp) const noexcept {
        return std::hash<std::string>{}(tp.topic) * 31 + std::hash<int32_t>{}(tp.partition());
    }
};
