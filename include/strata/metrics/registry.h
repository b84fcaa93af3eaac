#pragma once
// The process's Prometheus registry and its HTTP exposition on the admin
// listener (/metrics). Probes of each module register their families here.
// prometheus-cpp's metric types are thread-safe; the exposer runs its own
// threads.

#include <cstdint>
#include <memory>
#include <string>

namespace prometheus {
class Registry;
class Exposer;
} // namespace prometheus

namespace strata::metrics {

class registry {
public:
    registry();
    ~registry();
    prometheus::Registry& prom() { return *registry_; }
    // Serves /metrics on host:port; returns false when binding fails.
    bool serve(const std::string& host, uint16_t port);
    uint16_t bound_port() const;

private:
    std::shared_ptr<prometheus::Registry> registry_;
    std::unique_ptr<prometheus::Exposer> exposer_;
};

} // namespace strata::metrics
