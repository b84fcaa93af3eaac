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
#include <optional>
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

// A client of the history in Apache Kafka's Java client: java/<program>.java
// run by `java` as a single source file on the classpath of
// .tools/kafka/libs (needs `java` and the fetched tools), writing one line
// per outcome to a file the test reads.
class java_history_process {
public:
    // `args` go before the output file, the program's last argument.
    java_history_process(const std::string& program, std::vector<std::string> args);
    ~java_history_process();
    // Lines so far that start with `kind` and a space.
    int64_t count(const std::string& kind) const;
    // SIGTERM, then waits (up to the producers' delivery timeout) for the
    // program to write "done" and exit; its lines, or nullopt (the test
    // fails) when it did not end cleanly.
    std::optional<std::vector<std::string>> stop();
    // Keeps the output and the client's log after the test (one that failed); their directory.
    const std::string& keep() {
        keep_ = true;
        return dir_;
    }

private:
    std::string dir_, output_, log_;
    pid_t pid_ = -1;
    bool keep_ = false;
};

// The Java producer (java/HistoryProducer.java): values "j<n>".
class java_history_producer {
public:
    java_history_producer(const std::string& bootstrap, const std::string& topic, int32_t partitions);
    // False (the test fails) when the process did not end cleanly.
    bool stop();
    int64_t acknowledged_so_far() const { return process_.count("acked"); }
    const std::string& keep() { return process_.keep(); }
    // After stop():
    std::vector<record> acknowledged;
    std::vector<std::string> failures;

private:
    java_history_process process_;
};

// The Java consumer (java/HistoryConsumer.java), a member of `group`.
class java_history_consumer {
public:
    java_history_consumer(const std::string& bootstrap, const std::string& topic, const std::string& group);
    bool stop();
    int64_t consumed() const { return process_.count("read"); }
    const std::string& keep() { return process_.keep(); }
    // After stop(): as history_consumer's.
    std::vector<record> reads;
    std::map<int32_t, int64_t> committed;

private:
    java_history_process process_;
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
