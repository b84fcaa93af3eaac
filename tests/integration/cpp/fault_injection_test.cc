// Faults injected into a working cluster, Jepsen-style: an idempotent acks=all
// producer writes numbered records to a topic of replication factor 3 with
// min.insync.replicas=2 while, one after another, the leader is killed with
// kill -9, a broker is paused (SIGSTOP, as a long GC stall) past its session,
// and a broker is restarted with an empty data directory. Between faults the
// cluster must heal (every partition led, every replica in sync again) and
// the producer must make progress. The history is then checked: every
// acknowledged record is present exactly once, at the offset it was
// acknowledged at; no record appears twice; and every broker's replica of
// every partition (read from that broker, KIP-392) holds the same records up
// to its high watermark. Three real brokers, a real etcd, librdkafka.

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "child_process.h"
#include "cluster_kit.h"
#include "partition_io.h"
#include "raw_client.h"
#include "rdkafka_client.h"

namespace strata::test {
namespace {

using namespace std::chrono_literals;

constexpr int32_t partitions = 3;

// The producer of the history: numbered records, in a thread of its own,
// until stopped; then every delivery report is in.
class history_producer {
public:
    explicit history_producer(std::string bootstrap) : bootstrap_(std::move(bootstrap)) {
        thread_ = std::thread([this] { run(); });
    }
    ~history_producer() { stop(); }

    void stop() {
        stopping_ = true;
        if (thread_.joinable()) thread_.join();
    }
    // Records sent so far (acknowledged or not).
    int64_t sent() const { return sent_; }
    std::vector<record> acknowledged;
    std::vector<rd_kafka_resp_err_t> failures;

private:
    void run() {
        // Retries for as long as the faults may last: nothing is given up on.
        producer p(bootstrap_, {{"acks", "all"},
                                {"enable.idempotence", "true"},
                                {"message.timeout.ms", "180000"},
                                {"linger.ms", "5"}});
        for (int64_t n = 0; !stopping_; ++n) {
            p.send("history", {int32_t(n % partitions), -1, std::nullopt, std::to_string(n), {}, 0});
            sent_ = n + 1;
            p.poll(10);  // serves delivery reports; paces the history at about 100 records a second
        }
        p.flush(180000);
        acknowledged = std::move(p.acknowledged);
        failures = std::move(p.failures);
    }

    std::string bootstrap_;
    std::atomic<bool> stopping_{false};
    std::atomic<int64_t> sent_{0};
    std::thread thread_;
};

class fault_injection_test : public ::testing::Test {
protected:
    void SetUp() override {
        brokers = start_cluster(etcd, 3,
                                {"replica.lag.time.max.ms=4000", "replica.fetch.backoff.ms=200",
                                 "leader.imbalance.check.interval.seconds=2"});
        ASSERT_EQ(create_topic(node(1).bootstrap(), "history", partitions, {{"min.insync.replicas", "2"}}, 3), "");
        ASSERT_TRUE(wait_until([&] { return healed(); }, 30s));
    }

    broker_process& node(int32_t id) { return *brokers.at(size_t(id - 1)); }

    // Every running broker describes every partition led by a running broker
    // with every replica in sync.
    bool healed() {
        for (auto& b : brokers) {
            if (!b->running()) return false;
            auto v = describe_topic(b->port(), "history");
            if (!v || v->size() != size_t(partitions)) return false;
            for (const auto& p : *v)
                if (p.leader < 0 || p.isr.size() != 3) return false;
        }
        return true;
    }

    int32_t leader_of(int32_t partition) {
        for (auto& b : brokers) {
            if (!b->running()) continue;
            auto v = describe_topic(b->port(), "history");
            if (v && (*v)[size_t(partition)].leader > 0) return (*v)[size_t(partition)].leader;
        }
        return -1;
    }

    // After a fault healed, the producer makes progress: more records sent and the cluster healthy.
    void expect_recovery(history_producer& history, const std::string& fault) {
        EXPECT_TRUE(wait_until([&] { return healed(); }, 90s)) << "the cluster did not heal after " << fault;
        const int64_t before = history.sent();
        EXPECT_TRUE(wait_until([&] { return history.sent() >= before + 100; }, 60s))
            << "the producer did not carry on after " << fault;
    }

    etcd_process etcd;
    std::vector<std::unique_ptr<broker_process>> brokers;
};

TEST_F(fault_injection_test, no_acknowledged_record_is_lost_or_duplicated_through_kills_pauses_and_empty_disks) {
    history_producer history(running_bootstrap(brokers));
    ASSERT_TRUE(wait_until([&] { return history.sent() >= 300; }, 30s));

    // Round 1: the leader of partition 0 dies without a word, and comes back.
    const int32_t killed = leader_of(0);
    ASSERT_GT(killed, 0);
    node(killed).kill9();
    ASSERT_TRUE(wait_until([&] { int32_t l = leader_of(0); return l > 0 && l != killed; }, 30s));
    node(killed).start();
    expect_recovery(history, "kill -9 of a leader");

    // Round 2: a broker stalls past its session (3 s here), then runs on.
    const int32_t paused = leader_of(1);
    ASSERT_GT(paused, 0);
    pause_process(node(paused).pid());
    ASSERT_TRUE(wait_until([&] { int32_t l = leader_of(1); return l > 0 && l != paused; }, 30s));
    resume_process(node(paused).pid());
    expect_recovery(history, "a paused broker");

    // Round 3: a broker loses its disk: it comes back empty and copies everything again.
    const int32_t emptied = leader_of(2) % 3 + 1;
    node(emptied).kill9();
    std::filesystem::remove_all(node(emptied).data_dir());
    node(emptied).start();
    expect_recovery(history, "a restart with an empty data directory");

    history.stop();
    EXPECT_TRUE(history.failures.empty()) << history.failures.size() << " records were not acknowledged, the first "
                                          << rd_kafka_err2str(history.failures.front());
    ASSERT_GE(history.acknowledged.size(), 600u);

    // Every replica on every broker holds the same records up to its high watermark.
    std::vector<std::map<int64_t, std::string>> logs(partitions);
    for (int32_t p = 0; p < partitions; ++p) {
        for (auto& b : brokers) {
            raw_client c(b->port());
            auto replica = read_partition(c, "history", 0, p);
            ASSERT_TRUE(replica.valid) << "broker " << b->port() << " partition " << p;
            for (const auto& r : replica.records) {
                std::string value(r.value.begin(), r.value.end());
                auto [it, fresh] = logs[size_t(p)].emplace(r.offset, value);
                EXPECT_EQ(it->second, value) << "partition " << p << " offset " << r.offset
                                             << " holds different records on different replicas";
            }
        }
    }
    // Every acknowledged record is there, at its offset; no record is there twice.
    std::map<std::string, int> copies;
    for (const auto& log : logs)
        for (const auto& [offset, value] : log) ++copies[value];
    for (const auto& [value, count] : copies) EXPECT_EQ(count, 1) << "record " << value << " is stored " << count << " times";
    size_t missing = 0;
    for (const auto& r : history.acknowledged) {
        auto it = logs[size_t(r.partition)].find(r.offset);
        if (it == logs[size_t(r.partition)].end() || it->second != *r.value) ++missing;
    }
    EXPECT_EQ(missing, 0u) << "of " << history.acknowledged.size() << " acknowledged records";
}

} // namespace
} // namespace strata::test
