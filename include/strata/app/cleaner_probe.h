#pragma once
// Metrics of the log cleaner (Kafka's LogCleaner and LogCleanerManager
// metrics, under Strata's names): passes by outcome, bytes read and removed,
// records removed, the last pass's duration, the highest dirty ratio and the
// partitions left uncleanable. refresh() copies log_cleaner::totals() on each
// housekeeping tick; broker thread.

#include <cstdint>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>

#include "strata/metrics/registry.h"
#include "strata/storage/log_cleaner.h"

namespace strata::app {

class cleaner_probe {
public:
    explicit cleaner_probe(metrics::registry& reg);
    void refresh(const storage::cleaner_totals& totals);

private:
    // A Prometheus counter only moves up by increments: each keeps the total
    // it last showed and adds what has come since.
    struct counter {
        prometheus::Counter* metric;
        double shown = 0;
        void show(double total);
    };

    counter cleaned_, abandoned_, failed_, bytes_read_, bytes_removed_, records_removed_, tombstones_removed_;
    prometheus::Gauge& last_pass_seconds_;
    prometheus::Gauge& max_dirty_ratio_;
    prometheus::Gauge& uncleanable_;
};

} // namespace strata::app
