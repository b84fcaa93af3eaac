#pragma once
// Thin helpers over librdkafka's C API for integration tests: a producer that
// records every delivery report, and a consumer that reads assigned
// partitions from the beginning until it has what it expects.

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace strata::test {

struct record {
    int32_t partition = 0;
    int64_t offset = -1;
    std::optional<std::string> key;
    std::optional<std::string> value;
    std::vector<std::pair<std::string, std::optional<std::string>>> headers;
    int64_t timestamp = 0;
    bool operator==(const record&) const = default;
};

using config = std::map<std::string, std::string>;

// A librdkafka configuration: `bootstrap`, quiet logs, then `extra`; throws on a bad setting.
rd_kafka_conf_t* make_conf(const std::string& bootstrap, const config& extra = {});
// A consumed or delivered message as a record.
record to_record(const rd_kafka_message_t* m);

class producer {
public:
    producer(const std::string& bootstrap, const config& extra = {});
    ~producer();
    // Queues one record; retries while librdkafka's queue is full.
    void send(const std::string& topic, const record& r);
    // Waits for every delivery report.
    void flush(int timeout_ms = 60000);
    // Serves delivery reports that have arrived, waiting up to `timeout_ms`.
    void poll(int timeout_ms) { rd_kafka_poll(rk_, timeout_ms); }
    // Delivery reports: records that were acknowledged (offset set) and the
    // errors of those that were not.
    std::vector<record> acknowledged;
    std::vector<rd_kafka_resp_err_t> failures;

private:
    rd_kafka_t* rk_;
};

// Reads partitions [0, partitions) of `topic` from the beginning until
// `expected` records arrived or `timeout_ms` passed.
std::vector<record> consume_all(const std::string& bootstrap, const std::string& topic, int partitions,
                                size_t expected, int timeout_ms = 60000,
                                const config& extra = {});

// Reads one partition of `topic` from the beginning to its end (the high
// watermark when the read began, as librdkafka's partition EOF tells);
// nullopt if the end was not reached within `timeout_ms`.
std::optional<std::vector<record>> consume_to_end(const std::string& bootstrap, const std::string& topic,
                                                  int32_t partition, int timeout_ms = 30000);

// Creates a topic with the admin API; returns the error name, "" on success.
std::string create_topic(const std::string& bootstrap, const std::string& topic, int partitions,
                         const config& topic_configs = {}, int replication_factor = 1);

// The partition's high watermark (ListOffsets latest).
int64_t high_watermark(const std::string& bootstrap, const std::string& topic, int32_t partition);

// offsets_for_times for one partition.
int64_t offset_for_time(const std::string& bootstrap, const std::string& topic, int32_t partition, int64_t ts);

} // namespace strata::test
