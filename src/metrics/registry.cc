#include "strata/metrics/registry.h"

#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace strata::metrics {

registry::registry() : registry_(std::make_shared<prometheus::Registry>()) {}
registry::~registry() = default;

std::string registry::render() const { return prometheus::TextSerializer().Serialize(registry_->Collect()); }

} // namespace strata::metrics
