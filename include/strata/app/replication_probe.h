#pragma once
// Replication health as Kafka reports it, per broker: the partitions it
// leads, those of them with fewer in-sync replicas than replicas
// (UnderReplicatedPartitions) or than min.insync.replicas
// (UnderMinIsrPartitionCount), and, on the controller, the partitions with
// no live leader (OfflinePartitionsCount); the largest lag of any follower
// behind this broker's log ends (Kafka's MaxLag), and the partition changes
// this broker wrote (ISR shrinks and expands, elections, handovers). Set
// from the broker's housekeeping pass over its partitions and the
// replication controller; broker thread.

#include <map>
#include <string>

#include <prometheus/counter.h>
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
    // One partition change written: shrink, expand, election or handover.
    void changed(const char* kind);

private:
    prometheus::Gauge& leader_partitions_;
    prometheus::Gauge& under_replicated_;
    prometheus::Gauge& under_min_isr_;
    prometheus::Gauge& offline_;
    prometheus::Gauge& max_lag_;
    prometheus::Family<prometheus::Counter>& changes_;
    std::map<std::string, prometheus::Counter*> change_counters_;
    double leaders_ = 0, under_replicated_count_ = 0, under_min_isr_count_ = 0, offline_count_ = 0, lag_ = 0;
};

} // namespace strata::app
