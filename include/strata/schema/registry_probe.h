#pragma once
// Metrics of the schema registry: live subjects and registered schemas (IDs
// with a version that is not permanently deleted). Updated after every write
// and at load; broker thread.

#include <prometheus/gauge.h>

#include "strata/metrics/registry.h"
#include "strata/schema/schema_store.h"

namespace strata::schema {

class registry_probe {
public:
    explicit registry_probe(metrics::registry& reg);
    void update(const schema_store& store);

private:
    prometheus::Gauge& subjects_;
    prometheus::Gauge& schemas_;
};

} // namespace strata::schema
