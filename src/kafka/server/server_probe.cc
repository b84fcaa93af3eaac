#include "strata/kafka/server/server_probe.h"

#include <prometheus/registry.h>

namespace strata::kafka::server {
namespace {

const prometheus::Histogram::BucketBoundaries& latency_buckets() {
    static const prometheus::Histogram::BucketBoundaries b{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                          0.025,  0.05,    0.1,    0.25,  0.5,    1,     2.5, 10};
    return b;
}

} // namespace

server_probe::server_probe(metrics::registry& reg)
    : requests_(prometheus::BuildCounter()
                    .Name("strata_kafka_requests_total")
                    .Help("Kafka requests handled, by API")
                    .Register(reg.prom())),
      latency_(prometheus::BuildHistogram()
                   .Name("strata_kafka_request_latency_seconds")
                   .Help("Time from a request's arrival to its response, by API")
                   .Register(reg.prom())),
      bytes_in_(prometheus::BuildCounter()
                    .Name("strata_topic_bytes_in_total")
                    .Help("Record batch bytes appended, by topic")
                    .Register(reg.prom())),
      messages_in_(prometheus::BuildCounter()
                       .Name("strata_topic_messages_in_total")
                       .Help("Records appended, by topic")
                       .Register(reg.prom())),
      bytes_out_(prometheus::BuildCounter()
                     .Name("strata_topic_bytes_out_total")
                     .Help("Record batch bytes sent to consumers, by topic")
                     .Register(reg.prom())),
      messages_out_(prometheus::BuildCounter()
                        .Name("strata_topic_messages_out_total")
                        .Help("Records sent to consumers, by topic")
                        .Register(reg.prom())),
      log_size_(prometheus::BuildGauge()
                    .Name("strata_partition_log_size_bytes")
                    .Help("Bytes on disk of a partition's log")
                    .Register(reg.prom())),
      log_end_offset_(prometheus::BuildGauge()
                          .Name("strata_partition_log_end_offset")
                          .Help("The offset the next appended record gets")
                          .Register(reg.prom())),
      connections_(prometheus::BuildGauge()
                       .Name("strata_kafka_active_connections")
                       .Help("Open Kafka client connections")
                       .Register(reg.prom())
                       .Add({})),
      fsync_(prometheus::BuildHistogram()
                 .Name("strata_storage_fsync_seconds")
                 .Help("Duration of one group-commit round of fdatasync calls")
                 .Register(reg.prom())
                 .Add({}, latency_buckets())) {}

void server_probe::request_done(const char* api, double seconds) {
    auto it = apis_.find(api);
    if (it == apis_.end()) {
        std::string name(api);
        auto* count = &requests_.Add({{"api", name}});
        auto* hist = &latency_.Add({{"api", name}}, latency_buckets());
        it = apis_.emplace(api, std::pair{count, hist}).first;
    }
    it->second.first->Increment();
    it->second.second->Observe(seconds);
}

server_probe::topic_counters& server_probe::topic(const std::string& name) {
    auto it = topics_.find(name);
    if (it == topics_.end()) {
        topic_counters c{&bytes_in_.Add({{"topic", name}}), &messages_in_.Add({{"topic", name}}),
                         &bytes_out_.Add({{"topic", name}}), &messages_out_.Add({{"topic", name}})};
        it = topics_.emplace(name, c).first;
    }
    return it->second;
}

void server_probe::produced(const std::string& name, uint64_t bytes, uint64_t messages) {
    auto& c = topic(name);
    c.bytes_in->Increment(double(bytes));
    c.messages_in->Increment(double(messages));
}

void server_probe::fetched(const std::string& name, uint64_t bytes, int64_t messages) {
    auto& c = topic(name);
    c.bytes_out->Increment(double(bytes));
    c.messages_out->Increment(double(messages));
}

void server_probe::partition_state(const std::string& topic_name, int32_t partition, double size_bytes,
                                   double end_offset) {
    auto key = std::make_pair(topic_name, partition);
    auto it = partitions_.find(key);
    if (it == partitions_.end()) {
        std::map<std::string, std::string> labels{{"topic", topic_name}, {"partition", std::to_string(partition)}};
        it = partitions_.emplace(std::move(key), std::make_pair(&log_size_.Add(labels), &log_end_offset_.Add(labels)))
                 .first;
    }
    it->second.first->Set(size_bytes);
    it->second.second->Set(end_offset);
}

} // namespace strata::kafka::server
