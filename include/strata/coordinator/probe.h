#pragma once
// Metrics of the group coordinator: committed offsets, consumer lag per group
// and partition (high watermark minus committed offset), groups of either
// protocol by state, members per group (either protocol), rebalances per
// group. Refreshed by the broker's housekeeping; broker thread only.

#include <map>
#include <string>
#include <tuple>
#include <utility>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>

#include "strata/cluster/topic_table.h"
#include "strata/coordinator/consumer_group_manager.h"
#include "strata/coordinator/group_coordinator.h"
#include "strata/coordinator/offset_store.h"
#include "strata/metrics/registry.h"

namespace strata::coordinator {

class probe {
public:
    explicit probe(metrics::registry& reg);

    void offsets_committed(const std::string& group, size_t count);
    // A classic group started a generation, or a consumer-protocol group a new group epoch.
    void rebalanced(const std::string& group);
    // Recomputes lag and group gauges; drops the series of groups and partitions that are gone.
    void refresh(const offset_store& offsets, const group_coordinator& classic_groups,
                 const consumer_group_manager& consumer_groups, cluster::topic_table& topics);

private:
    using lag_key = std::tuple<std::string, std::string, int32_t>;
    using member_key = std::pair<std::string, std::string>;  // group, type

    prometheus::Family<prometheus::Counter>& commits_;
    prometheus::Family<prometheus::Counter>& rebalances_;
    prometheus::Family<prometheus::Gauge>& lag_;
    prometheus::Family<prometheus::Gauge>& groups_;
    prometheus::Family<prometheus::Gauge>& classic_groups_;
    prometheus::Family<prometheus::Gauge>& members_;
    std::map<std::string, prometheus::Counter*> commit_counters_;
    std::map<std::string, prometheus::Counter*> rebalance_counters_;
    std::map<lag_key, prometheus::Gauge*> lag_gauges_;
    std::map<std::string, prometheus::Gauge*> state_gauges_;
    std::map<std::string, prometheus::Gauge*> classic_state_gauges_;
    std::map<member_key, prometheus::Gauge*> member_gauges_;
};

} // namespace strata::coordinator
