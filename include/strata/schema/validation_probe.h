#pragma once
// Metrics of produce-time schema validation, per topic: records checked,
// rejected back to the producer, routed to the dead-letter topic, and the
// time spent checking. Broker thread only (prometheus-cpp's counters are
// thread-safe for the scrape).

#include <map>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/family.h>

#include "strata/metrics/registry.h"

namespace strata::schema {

class validation_probe {
public:
    explicit validation_probe(metrics::registry& reg);

    void checked(const std::string& topic, size_t records, double seconds);
    void rejected(const std::string& topic, size_t records);
    void dead_lettered(const std::string& topic, size_t records);

private:
    struct series {
        prometheus::Counter* validated;
        prometheus::Counter* rejected;
        prometheus::Counter* dead_lettered;
        prometheus::Counter* seconds;
    };
    series& of(const std::string& topic);

    prometheus::Family<prometheus::Counter>& validated_;
    prometheus::Family<prometheus::Counter>& rejected_;
    prometheus::Family<prometheus::Counter>& dead_lettered_;
    prometheus::Family<prometheus::Counter>& seconds_;
    std::map<std::string, series, std::less<>> topics_;
};

} // namespace strata::schema
