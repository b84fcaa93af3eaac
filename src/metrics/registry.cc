#include "strata/metrics/registry.h"

#include <prometheus/exposer.h>
#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

namespace strata::metrics {

registry::registry() : registry_(std::make_shared<prometheus::Registry>()) {}
registry::~registry() = default;

bool registry::serve(const std::string& host, uint16_t port) {
    try {
        exposer_ = std::make_unique<prometheus::Exposer>((host.empty() ? "0.0.0.0" : host) + ":" + std::to_string(port));
        exposer_->RegisterCollectable(registry_);
        return true;
    } catch (const std::exception& e) {
        spdlog::error("cannot serve metrics on {}:{}: {}", host, port, e.what());
        return false;
    }
}

uint16_t registry::bound_port() const {
    if (!exposer_) return 0;
    auto ports = exposer_->GetListeningPorts();
    return ports.empty() ? 0 : uint16_t(ports.front());
}

} // namespace strata::metrics
