#pragma once
// What a Strata cluster keeps in etcd about topics, under the prefix of
// metadata.etcd.prefix (P):
//   P/topics/<name>              {"id","partitions","configs"}: the topic
//                                exists once this key does (the commit point
//                                of a creation)
//   P/partitions/<id>/<p>        {"replicas","isr","leader","leader_epoch",
//                                "partition_epoch"[,"adding_replicas",
//                                "removing_replicas"]}: one partition's
//                                assignment, one small key per partition so
//                                that an ISR change rewrites only its own
// Partitions live under the topic id, not its name: a creation that loses a
// race, or a topic deleted and created again under the same name, can never
// mix its partitions with another incarnation's. Key names and JSON values
// only; pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "strata/cluster/partition.h"
#include "strata/cluster/topic_config.h"
#include "strata/kafka/protocol/uuid.h"

namespace strata::cluster::records {

struct topic_value {
    kafka::uuid id;
    int32_t partitions = 0;
    config_map configs;  // overrides only
    bool operator==(const topic_value&) const = default;
};

using partition_value = partition_assignment;

std::string topics_prefix(std::string_view prefix);
std::string topic_key(std::string_view prefix, std::string_view name);
std::string partitions_prefix(std::string_view prefix);
// Every partition key of one topic incarnation.
std::string topic_partitions_prefix(std::string_view prefix, const kafka::uuid& id);
std::string partition_key(std::string_view prefix, const kafka::uuid& id, int32_t partition);

// The topic name in a key under topics_prefix, if it is one.
std::optional<std::string> topic_name_of(std::string_view prefix, std::string_view key);
// The topic id and partition in a key under partitions_prefix, if it is one.
std::optional<std::pair<kafka::uuid, int32_t>> partition_of(std::string_view prefix, std::string_view key);

// Topic ids in keys and values: 32 lowercase hex digits.
std::string uuid_hex(const kafka::uuid& id);
std::optional<kafka::uuid> uuid_from_hex(std::string_view hex);

std::string encode_topic(const topic_value& t);
std::optional<topic_value> decode_topic(std::string_view json);
std::string encode_partition(const partition_value& p);
std::optional<partition_value> decode_partition(std::string_view json);

} // namespace strata::cluster::records
