#include "strata/schema/validation_probe.h"

namespace strata::schema {

validation_probe::validation_probe(metrics::registry& reg)
    : validated_(prometheus::BuildCounter()
                     .Name("strata_schema_records_validated_total")
                     .Help("Produced records checked against their topic's schema validation settings")
                     .Register(reg.prom())),
      rejected_(prometheus::BuildCounter()
                    .Name("strata_schema_records_rejected_total")
                    .Help("Records that failed validation and were refused (INVALID_RECORD)")
                    .Register(reg.prom())),
      dead_lettered_(prometheus::BuildCounter()
                         .Name("strata_schema_records_dead_lettered_total")
                         .Help("Records that failed validation and went to the dead-letter topic")
                         .Register(reg.prom())),
      seconds_(prometheus::BuildCounter()
                   .Name("strata_schema_validation_seconds_total")
                   .Help("Time spent validating produced records")
                   .Register(reg.prom())) {}

validation_probe::series& validation_probe::of(const std::string& topic) {
    auto it = topics_.find(topic);
    if (it != topics_.end()) return it->second;
    const prometheus::Labels labels{{"topic", topic}};
    return topics_
        .emplace(topic, series{&validated_.Add(labels), &rejected_.Add(labels), &dead_lettered_.Add(labels),
                               &seconds_.Add(labels)})
        .first->second;
}

void validation_probe::checked(const std::string& topic, size_t records, double seconds) {
    auto& s = of(topic);
    s.validated->Increment(double(records));
    s.seconds->Increment(seconds);
}

void validation_probe::rejected(const std::string& topic, size_t records) { of(topic).rejected->Increment(double(records)); }

void validation_probe::dead_lettered(const std::string& topic, size_t records) {
    of(topic).dead_lettered->Increment(double(records));
}

} // namespace strata::schema
