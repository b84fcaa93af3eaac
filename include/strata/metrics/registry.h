#pragma once
// The process's Prometheus registry. Probes of each module register their
// families here; render() produces the text exposition format that the admin
// HTTP listener serves at /metrics. prometheus-cpp's metric types are
// thread-safe, so the flusher thread may observe while the broker thread renders.

#include <memory>
#include <string>

namespace prometheus {
class Registry;
} // namespace prometheus

namespace strata::metrics {

class registry {
public:
    registry();
    ~registry();
    prometheus::Registry& prom() { return *registry_; }
    // Every family, in Prometheus text format (version 0.0.4).
    std::string render() const;

private:
    std::shared_ptr<prometheus::Registry> registry_;
};

} // namespace strata::metrics
