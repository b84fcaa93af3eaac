#include "strata/schema/registry_probe.h"

#include <prometheus/family.h>
#include <prometheus/registry.h>

namespace strata::schema {

registry_probe::registry_probe(metrics::registry& reg)
    : subjects_(prometheus::BuildGauge()
                    .Name("strata_schema_registry_subjects")
                    .Help("Subjects with at least one live schema version")
                    .Register(reg.prom())
                    .Add({})),
      schemas_(prometheus::BuildGauge()
                   .Name("strata_schema_registry_schemas")
                   .Help("Registered schemas (global IDs) not permanently deleted")
                   .Register(reg.prom())
                   .Add({})) {}

void registry_probe::update(const schema_store& store) {
    subjects_.Set(double(store.live_subject_count()));
    schemas_.Set(double(store.live_schema_count()));
}

} // namespace strata::schema
