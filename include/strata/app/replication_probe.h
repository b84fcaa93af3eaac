#pragma once
// Replication health as Kafka reports it, per broker: the partitions it
// leads, those of them with fewer in-sync replicas than replicas
// (UnderReplicatedPartitions) or than min.insync.replicas
// (UnderMinIsrPartitionCount), and, on the controller, the partitions with
// no live leader (OfflinePartitionsCount). Set from the broker's
// housekeeping pass over its partitions; broker thread.

#include <prometheus/gauge.h>

#include "strata/cluster/broker_directory.h"
#include "strata/cluster/topic_table.h"
#include "strata/metrics/registry.h"

namespace strata::app {

class replication_probe {
public:
    explicit replication_probe(metrics::registry& reg);

    // Counts one partition of `t` into the pass under way.
    void count(const cluster::topic_table& topics, const cluster::topic& t, const cluster::partition& p,
               const cluster::broker_directory& brokers);
    // Publishes the pass's counts and starts the next.
    void publish();

private:
    prometheus::Gauge& leader_partitions_;
    prometheus::Gauge& under_replicated_;
    prometheus::Gauge& under_min_isr_;
    prometheus::Gauge& offline_;
    double leaders_ = 0, under_replicated_count_ = 0, under_min_isr_count_ = 0, offline_count_ = 0;
};

} // namespace strata::app
