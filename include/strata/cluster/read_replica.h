#pragma once
// Fetch from the closest replica (KIP-392): the leader of a partition may
// send a consumer that names its rack (client.rack) to an in-sync follower in
// that rack, as Kafka's RackAwareReplicaSelector does; the follower serves it
// up to its own high watermark. Broker thread only.

#include <cstdint>
#include <string_view>

#include "strata/cluster/broker_directory.h"
#include "strata/cluster/partition.h"

namespace strata::cluster {

// Kafka's name for the selector (replica.selector.class); any other value
// keeps every consumer on the leader.
inline constexpr std::string_view rack_aware_replica_selector = "org.apache.kafka.common.replica.RackAwareReplicaSelector";

// The replica the leader `p` prefers a consumer in `client_rack` to read
// from at `fetch_offset`, or -1 for the leader itself: the leader when it is
// in that rack, else the live in-sync follower there that has the offset and
// the most records (the lowest id on a tie).
int32_t preferred_read_replica(const partition& p, const broker_directory& brokers, std::string_view client_rack,
                               int64_t fetch_offset);

} // namespace strata::cluster
