// Faults injected into a working cluster, Jepsen-style. Three real brokers on
// a real etcd hold a topic of replication factor 3 with min.insync.replicas=2.
// A history runs through every fault: idempotent acks=all producers in
// librdkafka and in Apache Kafka's Java client write numbered records, and a
// consumer in each client, each in a group of its own, reads them and
// commits its position. Faults
// come one after another on a schedule: kill -9 of a leader; a broker paused
// (SIGSTOP, a long GC stall) past its session; a broker restarted with an
// empty data directory; a leader cut off from the other brokers, etcd and
// the clients by a network partition; a leader cut off from the brokers and
// etcd while its clients still reach it; etcd itself gone for a while. After
// each the cluster must heal (every partition led, every replica in sync)
// and every client must carry on.
//
// The checker then reads every broker's replica of every partition (from that
// broker, KIP-392) and proves: the replicas hold the same records at the same
// offsets; every acknowledged record is there once, at the offset it was
// acknowledged at; no record is stored twice; every record the consumer read
// is the record stored at that offset (no offset was read with two different
// records); and each group's committed offsets are at least every commit that
// was acknowledged.

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

#include "cluster_kit.h"
#include "fault_history.h"
#include "isolated_network.h"
#include "partition_io.h"
#include "raw_client.h"

namespace strata::test {
namespace {

using namespace std::chrono_literals;

constexpr int32_t partitions = 3;
const std::string topic = "history";
const std::string group = "history-readers", java_group = "history-readers-java";

class fault_injection_test : public ::testing::Test {
protected:
    // The cluster (on `network`'s hosts if there is one), the topic, and the history's clients.
    void start() {
        etcd.emplace(network ? network->gateway() : std::string());
        brokers = start_cluster(*etcd, 3,
                                {"replica.lag.time.max.ms=4000", "replica.fetch.backoff.ms=200",
                                 "leader.imbalance.check.interval.seconds=2"},
                                network ? &*network : nullptr);
        ASSERT_EQ(create_topic(node(1).bootstrap(), topic, partitions, {{"min.insync.replicas", "2"}}, 3), "");
        ASSERT_TRUE(wait_until([&] { return healed(); }, 30s));
        const std::string bootstrap = running_bootstrap(brokers);
        producer.emplace(bootstrap, topic, partitions);
        java_producer.emplace(bootstrap, topic, partitions);
        consumer.emplace(bootstrap, group, topic);
        java_consumer.emplace(bootstrap, topic, java_group);
        ASSERT_TRUE(wait_until([&] { return java_producer->acknowledged_so_far() >= 100; }, 60s))
            << "the Java producer did not start";
        ASSERT_TRUE(wait_until([&] { return java_consumer->consumed() >= 100; }, 60s)) << "the Java consumer did not start";
        ASSERT_TRUE(wait_until([&] { return producer->sent() >= 300 && consumer->consumed() >= 100; }, 60s));
    }

    // A failed history keeps what tells why: every broker's log and the Java clients' outputs.
    void TearDown() override {
        if (!HasFailure()) return;
        for (auto& b : brokers) {
            b->keep_log();
            std::cerr << "kept " << b->log_file() << "\n";
        }
        if (java_producer) std::cerr << "kept " << java_producer->keep() << "\n";
        if (java_consumer) std::cerr << "kept " << java_consumer->keep() << "\n";
    }

    broker_process& node(int32_t id) { return *brokers.at(size_t(id - 1)); }

    // Every running broker describes every partition led by a running broker
    // with every replica in sync.
    bool healed() {
        for (auto& b : brokers) {
            if (!b->running()) return false;
            auto v = describe_topic(b->address(), topic);
            if (!v || v->size() != size_t(partitions)) return false;
            for (const auto& p : *v)
                if (p.leader < 0 || p.isr.size() != 3) return false;
        }
        return true;
    }

    // The leader of `partition` as a running broker other than `unreachable` tells it.
    int32_t leader_of(int32_t partition, int32_t unreachable = -1) {
        for (int32_t id = 1; id <= 3; ++id) {
            if (id == unreachable || !node(id).running()) continue;
            auto v = describe_topic(node(id).address(), topic);
            if (v && (*v)[size_t(partition)].leader > 0) return (*v)[size_t(partition)].leader;
        }
        return -1;
    }

    // Every client makes progress: more records sent, acknowledged and read.
    bool clients_carry_on(const std::string& after, int64_t records = 100, std::chrono::seconds within = 90s) {
        const int64_t sent = producer->sent(), acked = java_producer->acknowledged_so_far(),
                      read = consumer->consumed(), java_read = java_consumer->consumed();
        const std::pair<const char*, std::function<bool()>> progress[] = {
            {"the librdkafka producer", [&] { return producer->sent() >= sent + records; }},
            {"the Java producer", [&] { return java_producer->acknowledged_so_far() >= acked + records; }},
            {"the librdkafka consumer", [&] { return consumer->consumed() >= read + records; }},
            {"the Java consumer", [&] { return java_consumer->consumed() >= java_read + records; }},
        };
        for (const auto& [client, moved] : progress) {
            if (!wait_until(moved, within)) {
                ADD_FAILURE() << client << " did not carry on after " << after;
                return false;
            }
        }
        return true;
    }

    // After a fault healed: the cluster is whole again and the clients go on.
    void expect_recovery(const std::string& fault) {
        EXPECT_TRUE(wait_until([&] { return healed(); }, 90s)) << "the cluster did not heal after " << fault;
        clients_carry_on(fault);
    }

    // Stops the clients and checks the history against every replica.
    void check_history() {
        producer->stop();
        EXPECT_TRUE(java_producer->stop()) << "the Java producer did not end cleanly";
        consumer->stop();
        EXPECT_TRUE(java_consumer->stop()) << "the Java consumer did not end cleanly";
        for (const auto* failures : {&producer->failures, &java_producer->failures})
            EXPECT_TRUE(failures->empty()) << failures->size() << " records were not acknowledged, the first "
                                           << failures->front();
        EXPECT_GE(producer->acknowledged.size(), 500u);
        EXPECT_GE(java_producer->acknowledged.size(), 500u);

        // Every replica on every broker holds the same records up to its high watermark.
        std::vector<std::map<int64_t, std::string>> logs(partitions);
        for (int32_t p = 0; p < partitions; ++p) {
            for (auto& b : brokers) {
                raw_client c(b->address());
                auto replica = read_partition(c, topic, 0, p);
                ASSERT_TRUE(replica.valid) << "broker " << b->bootstrap() << " partition " << p;
                for (const auto& r : replica.records) {
                    std::string value(r.value.begin(), r.value.end());
                    auto [it, fresh] = logs[size_t(p)].emplace(r.offset, value);
                    EXPECT_EQ(it->second, value) << "partition " << p << " offset " << r.offset
                                                 << " holds different records on different replicas";
                }
            }
        }
        // Every acknowledged record is there, at its offset; no record is there twice.
        std::map<std::string, std::vector<std::pair<int32_t, int64_t>>> stored_at;
        std::map<std::string, int32_t> partition_of;
        for (int32_t p = 0; p < partitions; ++p)
            for (const auto& [offset, value] : logs[size_t(p)]) {
                stored_at[value].emplace_back(p, offset);
                partition_of[value] = p;
            }
        for (const auto& [value, places] : stored_at) {
            if (places.size() == 1) continue;
            std::string where;
            for (const auto& [p, o] : places) where += " " + std::to_string(p) + "/" + std::to_string(o);
            ADD_FAILURE() << "record " << value << " is stored " << places.size() << " times (partition/offset:" << where
                          << ")";
        }
        for (const auto* acked : {&producer->acknowledged, &java_producer->acknowledged}) {
            size_t missing = 0;
            for (const auto& r : *acked) {
                if (r.offset < 0) {
                    // Acknowledged without an offset (DUPLICATE_SEQUENCE_NUMBER: a
                    // late retry of a batch written before): in its partition.
                    auto it = partition_of.find(*r.value);
                    missing += it == partition_of.end() || it->second != r.partition;
                    continue;
                }
                auto it = logs[size_t(r.partition)].find(r.offset);
                if (it == logs[size_t(r.partition)].end() || it->second != *r.value) ++missing;
            }
            EXPECT_EQ(missing, 0u) << "of " << acked->size() << " acknowledged records";
        }
        // What each consumer read is what is stored, offset for offset, and
        // its group kept every commit the coordinator acknowledged.
        expect_reads_and_commits("librdkafka", consumer->reads, consumer->committed, group, logs);
        expect_reads_and_commits("Java", java_consumer->reads, java_consumer->committed, java_group, logs);
    }

    void expect_reads_and_commits(const std::string& client, const std::vector<record>& reads,
                                  const std::map<int32_t, int64_t>& acknowledged_commits, const std::string& group_id,
                                  const std::vector<std::map<int64_t, std::string>>& logs) {
        size_t misread = 0;
        for (const auto& r : reads) {
            auto it = logs[size_t(r.partition)].find(r.offset);
            if (it == logs[size_t(r.partition)].end() || it->second != r.value.value_or("")) ++misread;
        }
        EXPECT_EQ(misread, 0u) << "of " << reads.size() << " records the " << client << " consumer read";
        EXPECT_GE(reads.size(), 500u) << client;
        // The coordinator answers; the other brokers say NOT_COORDINATOR.
        std::optional<std::vector<int64_t>> kept;
        EXPECT_TRUE(wait_until([&] {
            for (auto& b : brokers)
                if ((kept = committed_offsets(b->address(), group_id, topic, partitions))) return true;
            return false;
        }, 30s)) << client;
        ASSERT_TRUE(kept.has_value()) << client;
        EXPECT_FALSE(acknowledged_commits.empty()) << client;
        for (const auto& [p, offset] : acknowledged_commits) {
            EXPECT_GE((*kept)[size_t(p)], offset) << client << ": partition " << p << " lost an acknowledged commit";
            EXPECT_LE((*kept)[size_t(p)], int64_t(logs[size_t(p)].size())) << client << ": partition " << p;
        }
    }

    // Outlives the brokers and etcd: they stop (a controlled shutdown through
    // etcd) before their hosts' links go.
    std::optional<isolated_network> network;
    std::optional<etcd_process> etcd;
    std::vector<std::unique_ptr<broker_process>> brokers;
    std::optional<history_producer> producer;
    std::optional<java_history_producer> java_producer;
    std::optional<history_consumer> consumer;
    std::optional<java_history_consumer> java_consumer;
};

// How often each fault comes in one history: a first round can pass by luck
// (a fault that lands between two batches), and a second or third can meet
// what the first left behind (a replica still catching up, a new epoch).
constexpr int rounds = 3;

TEST_F(fault_injection_test, nothing_acknowledged_is_lost_through_kills_pauses_and_empty_disks) {
    start();

    for (int round = 1; round <= rounds; ++round) {
        const std::string in_round = " (round " + std::to_string(round) + ")";
        // Each round aims at the leader of another partition.
        const int32_t partition = (round - 1) % partitions;

        // The leader dies without a word, and comes back.
        const int32_t killed = leader_of(partition);
        ASSERT_GT(killed, 0);
        node(killed).kill9();
        ASSERT_TRUE(wait_until([&] { int32_t l = leader_of(partition); return l > 0 && l != killed; }, 30s));
        node(killed).start();
        expect_recovery("kill -9 of a leader" + in_round);

        // A broker stalls past its session (3 s here), then runs on.
        const int32_t paused = leader_of((partition + 1) % partitions);
        ASSERT_GT(paused, 0);
        node(paused).pause();
        ASSERT_TRUE(wait_until([&] {
            int32_t l = leader_of((partition + 1) % partitions, paused);
            return l > 0 && l != paused;
        }, 30s));
        node(paused).resume();
        expect_recovery("a paused broker" + in_round);

        // A broker loses its disk: it comes back empty and copies everything again.
        const int32_t emptied = (leader_of((partition + 2) % partitions) + round - 1) % 3 + 1;
        node(emptied).kill9();
        std::filesystem::remove_all(node(emptied).data_dir());
        node(emptied).start();
        expect_recovery("a restart with an empty data directory" + in_round);
    }

    check_history();
}

TEST_F(fault_injection_test, nothing_acknowledged_is_lost_through_network_partitions_and_the_loss_of_etcd) {
    if (auto why = isolated_network::unavailable_reason(); !why.empty())
        GTEST_SKIP() << "a network partition needs hosts of their own: " << why;
    network.emplace(3);
    start();

    for (int round = 1; round <= rounds; ++round) {
        const std::string in_round = " (round " + std::to_string(round) + ")";
        const int32_t partition = (round + 1) % partitions;

        // A leader is cut off from everything: the other brokers, etcd and
        // the clients. Its lease expires, another replica leads, and the
        // clients (which cannot reach it either) carry on there.
        const int32_t isolated = leader_of(partition);
        ASSERT_GT(isolated, 0);
        const size_t expiries = node(isolated).log_lines_containing("its etcd lease expired");
        network->cut(isolated);
        ASSERT_TRUE(wait_until([&] {
            int32_t l = leader_of(partition, isolated);
            return l > 0 && l != isolated;
        }, 30s));
        clients_carry_on("the leader was cut off" + in_round);
        network->heal(isolated);
        // The cut broker learns it was dropped from the cluster, and joins again.
        EXPECT_TRUE(wait_until([&] { return node(isolated).log_lines_containing("its etcd lease expired") > expiries; },
                               60s));
        expect_recovery("a network partition" + in_round);

        // A leader loses the other brokers and etcd but not its clients. It
        // still answers them as the leader it was, but can commit nothing: no
        // follower fetches from it, and it cannot shrink its ISR without etcd.
        // Another replica leads, with a newer leader epoch that the clients
        // (connected to both) trust over the stranded broker's word; nothing
        // the stranded leader took in alone may be acknowledged.
        const int32_t stranded = leader_of((partition + 1) % partitions);
        ASSERT_GT(stranded, 0);
        const size_t stranded_expiries = node(stranded).log_lines_containing("its etcd lease expired");
        network->cut_from_peers(stranded, {etcd->client_port()});
        ASSERT_TRUE(wait_until([&] {
            int32_t l = leader_of((partition + 1) % partitions, stranded);
            return l > 0 && l != stranded;
        }, 30s));
        clients_carry_on("a leader was cut off from the cluster but not from its clients" + in_round);
        network->heal(stranded);
        EXPECT_TRUE(wait_until([&] {
            return node(stranded).log_lines_containing("its etcd lease expired") > stranded_expiries;
        }, 60s));
        expect_recovery("a partition of the brokers that the clients saw across" + in_round);

        // etcd is gone for longer than a broker session. The data path needs
        // none of it: the clients carry on for some 5 s (about 500 records)
        // while every broker fails to heartbeat; then etcd comes back on the same data.
        std::vector<size_t> failed_heartbeats;
        for (auto& b : brokers) failed_heartbeats.push_back(b->log_lines_containing("cannot heartbeat to etcd"));
        etcd->stop();
        clients_carry_on("etcd was lost" + in_round, 500);
        for (size_t i = 0; i < brokers.size(); ++i)
            EXPECT_TRUE(wait_until([&] { return brokers[i]->log_lines_containing("cannot heartbeat to etcd") >
                                                failed_heartbeats[i]; }, 30s))
                << "broker " << i + 1 << " never missed etcd" << in_round;
        etcd->start();
        expect_recovery("the loss of etcd" + in_round);
    }

    check_history();
}

} // namespace
} // namespace strata::test
