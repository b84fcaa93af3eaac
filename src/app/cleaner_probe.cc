#include "strata/app/cleaner_probe.h"

#include <string>

#include <prometheus/family.h>
#include <prometheus/registry.h>

namespace strata::app {
namespace {

prometheus::Counter* new_counter(metrics::registry& reg, const std::string& name, const std::string& help) {
    return &prometheus::BuildCounter().Name(name).Help(help).Register(reg.prom()).Add({});
}

prometheus::Gauge& new_gauge(metrics::registry& reg, const std::string& name, const std::string& help) {
    return prometheus::BuildGauge().Name(name).Help(help).Register(reg.prom()).Add({});
}

} // namespace

cleaner_probe::cleaner_probe(metrics::registry& reg)
    : bytes_read_{new_counter(reg, "strata_log_cleaner_bytes_read_total",
                              "Segment bytes the log cleaner read, in every pass")},
      bytes_removed_{new_counter(reg, "strata_log_cleaner_bytes_removed_total",
                                 "Segment bytes completed cleaning passes removed")},
      records_removed_{new_counter(reg, "strata_log_cleaner_records_removed_total",
                                   "Records completed cleaning passes removed (superseded values and tombstones)")},
      tombstones_removed_{new_counter(reg, "strata_log_cleaner_tombstones_removed_total",
                                      "Tombstones completed cleaning passes removed after delete.retention.ms")},
      last_pass_seconds_(new_gauge(reg, "strata_log_cleaner_last_pass_seconds",
                                   "Wall time of the last completed cleaning pass")),
      max_dirty_ratio_(new_gauge(reg, "strata_log_cleaner_max_dirty_ratio",
                                 "Highest dirty-bytes ratio over the compacted logs at the cleaner's last look")),
      uncleanable_(new_gauge(reg, "strata_log_cleaner_uncleanable_partitions",
                             "Partitions the cleaner failed on and leaves alone until restart")) {
    auto& passes = prometheus::BuildCounter()
                       .Name("strata_log_cleaner_passes_total")
                       .Help("Cleaning passes by outcome: cleaned, abandoned (the log changed meanwhile), failed")
                       .Register(reg.prom());
    cleaned_.metric = &passes.Add({{"outcome", "cleaned"}});
    abandoned_.metric = &passes.Add({{"outcome", "abandoned"}});
    failed_.metric = &passes.Add({{"outcome", "failed"}});
}

void cleaner_probe::counter::show(double total) {
    if (total > shown) metric->Increment(total - shown);
    shown = total;
}

void cleaner_probe::refresh(const storage::cleaner_totals& t) {
    cleaned_.show(double(t.passes_cleaned));
    abandoned_.show(double(t.passes_abandoned));
    failed_.show(double(t.passes_failed));
    bytes_read_.show(double(t.bytes_read));
    bytes_removed_.show(double(t.bytes_removed));
    records_removed_.show(double(t.records_removed));
    tombstones_removed_.show(double(t.tombstones_removed));
    last_pass_seconds_.Set(t.last_pass_seconds);
    max_dirty_ratio_.Set(t.max_dirty_ratio);
    uncleanable_.Set(double(t.uncleanable_partitions));
}

} // namespace strata::app
