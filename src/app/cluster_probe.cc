#include "strata/app/cluster_probe.h"

#include <prometheus/family.h>
#include <prometheus/registry.h>

namespace strata::app {
namespace {

prometheus::Gauge& new_gauge(metrics::registry& reg, const std::string& name, const std::string& help) {
    return prometheus::BuildGauge().Name(name).Help(help).Register(reg.prom()).Add({});
}

const char* outcome(std::optional<cluster::etcd::errc> error) {
    if (!error) return "ok";
    switch (*error) {
    case cluster::etcd::errc::timeout: return "timeout";
    case cluster::etcd::errc::unavailable: return "unavailable";
    // Answers that decide something, not failures of etcd.
    case cluster::etcd::errc::lease_not_found: return "lease_not_found";
    case cluster::etcd::errc::compacted: return "compacted";
    default: return "error";
    }
}

} // namespace

cluster_probe::cluster_probe(metrics::registry& reg)
    : live_brokers_(new_gauge(reg, "strata_cluster_live_brokers", "Brokers registered in the cluster, as this broker sees them")),
      registered_(new_gauge(reg, "strata_cluster_registered", "1 while this broker holds a live registration in etcd")),
      active_controller_(new_gauge(reg, "strata_cluster_active_controller",
                                   "1 on the broker that is the controller (Kafka's ActiveControllerCount)")),
      controller_epoch_(new_gauge(reg, "strata_cluster_controller_epoch",
                                  "Epoch of the current controller (the etcd revision that made it controller)")),
      requests_(prometheus::BuildCounter()
                    .Name("strata_etcd_requests_total")
                    .Help("Requests to etcd by outcome: ok, timeout, unavailable, error, lease_not_found, compacted")
                    .Register(reg.prom())),
      request_seconds_(prometheus::BuildHistogram()
                           .Name("strata_etcd_request_duration_seconds")
                           .Help("Latency of requests to etcd (watches excluded)")
                           .Register(reg.prom())
                           .Add({}, prometheus::Histogram::BucketBoundaries{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                                            0.1, 0.25, 0.5, 1, 2.5, 5})) {}

void cluster_probe::refresh(const cluster::broker_directory& directory, bool registered) {
    live_brokers_.Set(double(directory.live().size()));
    registered_.Set(registered ? 1 : 0);
    active_controller_.Set(directory.is_controller() ? 1 : 0);
    controller_epoch_.Set(double(directory.controller_epoch()));
}

void cluster_probe::etcd_request(std::optional<cluster::etcd::errc> error, double seconds) {
    const char* label = outcome(error);
    auto& counter = request_counters_[label];
    if (!counter) counter = &requests_.Add({{"outcome", label}});
    counter->Increment();
    request_seconds_.Observe(seconds);
}

} // namespace strata::app
