#pragma once
// Metrics of this broker's cluster membership and of its etcd requests:
// live brokers, whether it is registered and the active controller (Kafka's
// ActiveControllerCount), the controller epoch, and etcd requests by outcome
// with their latency. Updated from the broker_directory's change callbacks
// and the etcd client's observer; broker thread.

#include <map>
#include <optional>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>

#include "strata/cluster/broker_directory.h"
#include "strata/cluster/etcd/etcd_types.h"
#include "strata/metrics/registry.h"

namespace strata::app {

class cluster_probe {
public:
    explicit cluster_probe(metrics::registry& reg);

    void refresh(const cluster::broker_directory& directory, bool registered);
    void etcd_request(std::optional<cluster::etcd::errc> error, double seconds);

private:
    prometheus::Gauge& live_brokers_;
    prometheus::Gauge& registered_;
    prometheus::Gauge& active_controller_;
    prometheus::Gauge& controller_epoch_;
    prometheus::Family<prometheus::Counter>& requests_;
    std::map<std::string, prometheus::Counter*> request_counters_;
    prometheus::Histogram& request_seconds_;
};

} // namespace strata::app
