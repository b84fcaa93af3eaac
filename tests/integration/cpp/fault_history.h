#pragma once
// The clients of a fault-injection history (fault_injection_test): producers
// that write numbered records with acks=all and idempotence, in librdkafka
// and in Apache Kafka's Java client, and a consumer in a group that commits
// as it reads. Each runs on its own (a thread, or a process for Java) until
// stopped, counts its progress for the test to wait on, and keeps everything
// it saw for the checker.

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "rdkafka_client.h"

namespace strata::test {

// librdkafka: values "r<n>" to partition n % partitions, about 100 a second.
class history_producer {
public:
    history_producer(std::string bootstrap, std::string topic, int32_t partitions);
    ~history_producer() { stop(); }
    // Stops sending and waits for every delivery report.
    void stop();
    // Records sent so far (acknowledged or not).
    int64_t sent() const { return sent_; }
    // After stop():
    std::vector<record> acknowledged;
    std::vector<std::string> failures;

private:
    void run();

    std::string bootstrap_, topic_;
    int32_t partitions_;
    std::atomic<bool> stopping_{false};
    std::atomic<int64_t> sent_{0};
    std::thread thread_;
};

// Apache Kafka's Java producer (java/HistoryProducer.java, on the classpath
// of .tools/kafka/libs): values "j<n>". Needs `java` and the fetched tools.
class java_history_producer {
public:
    java_history_producer(const std::string& bootstrap, const std::string& topic, int32_t partitions);
    ~java_history_producer();
    // SIGTERM, then waits for the process to report every send; false (the
    // test fails) when it does not end cleanly within the delivery timeout.
    bool stop();
    // Records acknowledged so far.
    int64_t acknowledged_so_far() const;
    // After stop():
    std::vector<record> acknowledged;
    std::vector<std::string> failures;

private:
    std::string dir_, output_, log_;
    pid_t pid_ = -1;
};

// A librdkafka consumer in group `group`, subscribed to `topic` from the
// beginning, committing its position about twice a second.
class history_consumer {
public:
    history_consumer(std::string bootstrap, std::string group, std::string topic);
    ~history_consumer() { stop(); }
    void stop();
    int64_t consumed() const { return consumed_; }
    // After stop(): every record delivered, and per partition the highest
    // offset a commit of it was acknowledged for.
    std::vector<record> reads;
    std::map<int32_t, int64_t> committed;

private:
    void run();

    std::string bootstrap_, group_, topic_;
    std::atomic<bool> stopping_{false};
    std::atomic<int64_t> consumed_{0};
    std::thread thread_;
};

} // namespace strata::test
