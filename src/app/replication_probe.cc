#include "strata/app/replication_probe.h"

#include <algorithm>

#include <prometheus/family.h>
#include <prometheus/registry.h>

namespace strata::app {
namespace {

prometheus::Gauge& new_gauge(metrics::registry& reg, const std::string& name, const std::string& help) {
    return prometheus::BuildGauge().Name(name).Help(help).Register(reg.prom()).Add({});
}

} // namespace

replication_probe::replication_probe(metrics::registry& reg)
    : leader_partitions_(new_gauge(reg, "strata_replication_leader_partitions", "Partitions this broker leads")),
      under_replicated_(new_gauge(reg, "strata_replication_under_replicated_partitions",
                                  "Partitions this broker leads with fewer in-sync replicas than replicas "
                                  "(Kafka's UnderReplicatedPartitions)")),
      under_min_isr_(new_gauge(reg, "strata_replication_under_min_isr_partitions",
                               "Partitions this broker leads with fewer in-sync replicas than min.insync.replicas "
                               "(Kafka's UnderMinIsrPartitionCount)")),
      offline_(new_gauge(reg, "strata_replication_offline_partitions",
                         "On the controller: partitions without a live leader (Kafka's OfflinePartitionsCount)")),
      max_lag_(new_gauge(reg, "strata_replication_max_follower_lag_records",
                         "The most records any follower is behind this broker's log end (Kafka's MaxLag)")),
      changes_(prometheus::BuildCounter()
                   .Name("strata_replication_partition_changes_total")
                   .Help("Partition state changes this broker wrote: ISR shrink and expand (as leader), election "
                         "and preferred (as controller), handover (controlled shutdown)")
                   .Register(reg.prom())) {}

void replication_probe::changed(const char* kind) {
    auto& counter = change_counters_[kind];
    if (!counter) counter = &changes_.Add({{"kind", kind}});
    counter->Increment();
}

void replication_probe::count(const cluster::topic_table& topics, const cluster::topic& t, const cluster::partition& p,
                              const cluster::broker_directory& brokers) {
    const auto& a = p.assignment();
    if (brokers.is_controller() && (a.leader < 0 || !brokers.find(a.leader))) ++offline_count_;
    if (!p.is_leader()) return;
    ++leaders_;
    const auto end = p.log().log_end_offset();
    for (const auto& [replica, f] : p.followers()) lag_ = std::max(lag_, double(end - std::max<int64_t>(f.log_end, 0)));
    if (a.isr.size() < a.replicas.size()) ++under_replicated_count_;
    if (p.replicated() && int32_t(a.isr.size()) < topics.min_insync_replicas(t)) ++under_min_isr_count_;
}

void replication_probe::publish() {
    leader_partitions_.Set(leaders_);
    under_replicated_.Set(under_replicated_count_);
    under_min_isr_.Set(under_min_isr_count_);
    offline_.Set(offline_count_);
    max_lag_.Set(lag_);
    leaders_ = under_replicated_count_ = under_min_isr_count_ = offline_count_ = lag_ = 0;
}

} // namespace strata::app
