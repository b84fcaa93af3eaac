#pragma once
// The partition states of a reassignment (KIP-455), as pure functions of the
// state in etcd: starting one (the replica set grows to the target plus the
// replicas it replaces), completing it once every target replica is in sync,
// and cancelling it. The replication controller writes what they return.

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "strata/cluster/broker_directory.h"
#include "strata/cluster/partition.h"

namespace strata::cluster {

// The replicas before the reassignment under way (all of them when none is).
std::vector<int32_t> original_replicas(const partition_assignment& now);
// The replicas the reassignment under way moves to (all of them when none is).
std::vector<int32_t> target_replicas(const partition_assignment& now);

// The state that starts a reassignment of `now` to `target` (replacing one
// under way); `now` itself when the target is what it has already.
partition_assignment start_reassignment(const partition_assignment& now, const std::vector<int32_t>& target);
// The state that completes the reassignment under way: replicas = target,
// the ISR cut to it, and a leader from it (a new leader epoch when the leader
// changes); nothing until every target replica is in sync and one of them live.
std::optional<partition_assignment> complete_reassignment(const partition_assignment& now,
                                                          const std::map<int32_t, broker_endpoint>& live);
// The state that cancels the reassignment under way: back to the original
// replicas, the ISR cut to them; nothing when none of them is in sync.
std::optional<partition_assignment> cancel_reassignment(const partition_assignment& now,
                                                        const std::map<int32_t, broker_endpoint>& live);

} // namespace strata::cluster
