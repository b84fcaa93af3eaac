#pragma once
// Where the replicas of new partitions go: Kafka's striped, rack-aware
// assignment. Leaders (the first replica) go round the brokers, so that
// every broker leads about as many partitions; followers are shifted so that
// a broker's partitions are followed by different brokers; with racks, the
// brokers are taken from the racks in turn and a partition's replicas land on
// as many different racks as there are. Brokers without a rack count as one
// rack of their own. A pure function: callable from anywhere.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "strata/base/result.h"
#include "strata/cluster/errc.h"

namespace strata::cluster {

struct placement_broker {
    int32_t node_id = 0;
    std::optional<std::string> rack;
};

// The replica lists (leader first) of `partitions` new partitions numbered
// from `first_partition` (a topic's existing count when it grows). `seed`
// picks where the striping starts, as Kafka starts at a random broker.
// invalid_replication_factor when it is below 1 or above the brokers there are.
result<std::vector<std::vector<int32_t>>, errc> place_replicas(std::vector<placement_broker> brokers,
                                                               int32_t partitions, int16_t replication_factor,
                                                               int32_t first_partition, uint32_t seed);

} // namespace strata::cluster
