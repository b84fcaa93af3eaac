#pragma once
// Metrics of the Kafka front end: requests and latency per API, bytes and
// messages per topic, connections, partition sizes and offsets, fsync time.
// Called on the broker thread (fsync observations come from the flusher
// thread; prometheus-cpp metrics are thread-safe).

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>

#include "strata/metrics/registry.h"

namespace strata::kafka::server {

class server_probe {
public:
    explicit server_probe(metrics::registry& reg);

    // `api` is a handler's static name: the map is keyed by its address.
    void request_done(const char* api, double seconds);
    void produced(const std::string& topic, uint64_t bytes, uint64_t messages);
    // `messages`: records from the fetch offset to the end of the returned batches.
    void fetched(const std::string& topic, uint64_t bytes, int64_t messages);
    void set_connections(double n) { connections_.Set(n); }
    void fsync_done(double seconds) { fsync_.Observe(seconds); }
    void partition_state(const std::string& topic, int32_t partition, double size_bytes, double end_offset);

private:
    struct topic_counters {
        prometheus::Counter* bytes_in;
        prometheus::Counter* messages_in;
        prometheus::Counter* bytes_out;
        prometheus::Counter* messages_out;
    };
    topic_counters& topic(const std::string& name);

    prometheus::Family<prometheus::Counter>& requests_;
    prometheus::Family<prometheus::Histogram>& latency_;
    prometheus::Family<prometheus::Counter>& bytes_in_;
    prometheus::Family<prometheus::Counter>& messages_in_;
    prometheus::Family<prometheus::Counter>& bytes_out_;
    prometheus::Family<prometheus::Counter>& messages_out_;
    prometheus::Family<prometheus::Gauge>& log_size_;
    prometheus::Family<prometheus::Gauge>& log_end_offset_;
    prometheus::Gauge& connections_;
    prometheus::Histogram& fsync_;
    std::unordered_map<std::string, topic_counters> topics_;
    std::unordered_map<const char*, std::pair<prometheus::Counter*, prometheus::Histogram*>> apis_;
    // Each partition's two gauges, found once: refreshed every second for every
    // partition, a label lookup each time was most of an idle broker's work.
    std::map<std::pair<std::string, int32_t>, std::pair<prometheus::Gauge*, prometheus::Gauge*>> partitions_;
};

} // namespace strata::kafka::server
