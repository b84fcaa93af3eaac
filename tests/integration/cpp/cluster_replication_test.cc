// Replication: every partition of a replicated topic is copied to its
// followers, acks=all completes once the in-sync replicas have the records,
// a leader killed with kill -9 is replaced by an in-sync follower and no
// acknowledged record is lost, a broker that comes back catches up and
// rejoins the ISR, too few in-sync replicas refuse acks=all with Kafka's
// NOT_ENOUGH_REPLICAS, and a restarted replica starts from its checkpointed
// high watermark. Three real brokers, a real etcd, librdkafka.

#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <set>

#include "cluster_kit.h"
#include "http_client.h"
#include "partition_io.h"
#include "raw_client.h"
#include "rdkafka_client.h"
#include "strata/kafka/protocol/messages/init_producer_id.h"
#include "strata/storage/batch_builder.h"

namespace strata::test {
namespace {

using namespace std::chrono_literals;
namespace msg = kafka::msg;

class cluster_replication_test : public ::testing::Test {
protected:
    // Leadership stays where elections put it unless a test asks otherwise.
    virtual std::vector<std::string> extra_overrides() const { return {"auto.leader.rebalance.enable=false"}; }

    void SetUp() override {
        auto extra = extra_overrides();
        extra.push_back("replica.lag.time.max.ms=5000");
        extra.push_back("replica.fetch.backoff.ms=200");
        brokers = start_cluster(etcd, 3, extra);
    }

    broker_process& node(int32_t id) { return *brokers.at(size_t(id - 1)); }
    std::string bootstrap() const { return running_bootstrap(brokers); }

    // Every running broker describes `topic` with a live leader on every
    // partition and ISRs of at least `isr_size`; that description.
    std::optional<std::vector<partition_view>> settled(const std::string& topic, size_t isr_size) {
        std::optional<std::vector<partition_view>> first;
        for (auto& b : brokers) {
            if (!b->running()) continue;
            auto v = describe_topic(b->port(), topic);
            if (!v) return std::nullopt;
            for (const auto& p : *v)
                if (p.leader < 0 || !brokers.at(size_t(p.leader - 1))->running() || p.isr.size() < isr_size)
                    return std::nullopt;
            if (first) {
                for (size_t i = 0; i < v->size(); ++i)
                    if ((*v)[i].leader != (*first)[i].leader || (*v)[i].isr != (*first)[i].isr) return std::nullopt;
            }
            first = v;
        }
        return first;
    }

    void produce(const std::string& topic, int from, int to, int partitions) {
        producer p(bootstrap(), {{"acks", "all"}, {"enable.idempotence", "true"}});
        for (int i = from; i < to; ++i) p.send(topic, {i % partitions, -1, std::to_string(i), "v" + std::to_string(i), {}, 0});
        p.flush();
        ASSERT_TRUE(p.failures.empty());
        for (auto& r : p.acknowledged) acknowledged[{r.partition, r.offset}] = *r.value;
    }

    // A replication figure summed over the running brokers (a counter a
    // broker never incremented has no series there: 0).
    double sum_of(const std::string& metric) {
        double total = 0;
        for (auto& b : brokers)
            if (b->running())
                total += std::max(0.0, metric_sample(http_body(http_get(b->metrics_port(), "/metrics")), metric));
        return total;
    }

    // Every acknowledged record is read back at its offset, and nothing else.
    void expect_every_acknowledged_record(const std::string& topic, int partitions) {
        auto got = consume_all(bootstrap(), topic, partitions, acknowledged.size());
        std::map<std::pair<int32_t, int64_t>, std::string> read;
        for (const auto& r : got) read[{r.partition, r.offset}] = *r.value;
        EXPECT_EQ(read.size(), acknowledged.size());
        for (const auto& [at, value] : acknowledged) {
            auto it = read.find(at);
            ASSERT_NE(it, read.end()) << "acknowledged record lost: partition " << at.first << " offset " << at.second;
            EXPECT_EQ(it->second, value);
        }
    }

    etcd_process etcd;
    std::vector<std::unique_ptr<broker_process>> brokers;
    std::map<std::pair<int32_t, int64_t>, std::string> acknowledged;
};

TEST_F(cluster_replication_test, a_killed_leader_is_replaced_by_an_in_sync_follower_and_nothing_acknowledged_is_lost) {
    ASSERT_EQ(create_topic(node(1).bootstrap(), "durable", 3, {{"min.insync.replicas", "2"}}, 3), "");
    std::optional<std::vector<partition_view>> layout;
    ASSERT_TRUE(wait_until([&] { return (layout = settled("durable", 3)).has_value(); }, 30s));
    for (const auto& p : *layout) EXPECT_EQ(p.replicas.size(), 3u);
    ASSERT_NO_FATAL_FAILURE(produce("durable", 0, 900, 3));

    // The leader of partition 0 dies without a word.
    const int32_t victim = (*layout)[0].leader;
    const int32_t epoch_before = (*layout)[0].leader_epoch;
    node(victim).kill9();
    // Once its session is over, the dead broker leaves every ISR and leads nothing.
    auto without_victim = [&] {
        layout = settled("durable", 2);
        if (!layout) return false;
        for (const auto& p : *layout)
            if (std::ranges::find(p.isr, victim) != p.isr.end()) return false;
        return true;
    };
    ASSERT_TRUE(wait_until(without_victim, 30s));
    EXPECT_NE((*layout)[0].leader, victim);
    EXPECT_GT((*layout)[0].leader_epoch, epoch_before) << "a new leader, a new epoch";
    // Operators see it: every partition under-replicated, none below min.insync.replicas.
    EXPECT_TRUE(wait_until([&] { return sum_of("strata_replication_under_replicated_partitions") == 3; }, 10s));
    EXPECT_EQ(sum_of("strata_replication_leader_partitions"), 3);
    EXPECT_EQ(sum_of("strata_replication_under_min_isr_partitions"), 0);
    ASSERT_NO_FATAL_FAILURE(produce("durable", 900, 1800, 3));
    expect_every_acknowledged_record("durable", 3);

    // It comes back, catches up and is in sync again; then another leader
    // is shut down and hands its leaderships over before it exits.
    node(victim).start();
    ASSERT_TRUE(wait_until([&] { return (layout = settled("durable", 3)).has_value(); }, 60s));
    EXPECT_TRUE(wait_until([&] { return sum_of("strata_replication_under_replicated_partitions") == 0; }, 10s));
    // What was written on the way: elections by the controller and ISR
    // expansions by the leaders as the restarted broker caught up.
    EXPECT_GE(sum_of("strata_replication_partition_changes_total{kind=\"expand\"}"), 3);
    EXPECT_GE(sum_of("strata_replication_partition_changes_total{kind=\"election\"}"), 1);
    ASSERT_NO_FATAL_FAILURE(produce("durable", 1800, 2400, 3));
    const int32_t second = (*layout)[1].leader;
    size_t led = 0;
    for (const auto& p : *layout) led += p.leader == second;
    ASSERT_EQ(node(second).stop(), 0);
    EXPECT_EQ(node(second).log_lines_containing("controlled shutdown: "), led)
        << "each of its leaderships handed to an in-sync follower";
    ASSERT_TRUE(wait_until([&] { return settled("durable", 2).has_value(); }, 30s));
    expect_every_acknowledged_record("durable", 3);
}

TEST_F(cluster_replication_test, acks_all_is_refused_when_fewer_replicas_than_min_insync_are_in_sync) {
    ASSERT_EQ(create_topic(node(1).bootstrap(), "strict", 1, {{"min.insync.replicas", "2"}}, 2), "");
    std::optional<std::vector<partition_view>> layout;
    ASSERT_TRUE(wait_until([&] { return (layout = settled("strict", 2)).has_value(); }, 30s));
    const int32_t leader = (*layout)[0].leader;
    const int32_t follower = (*layout)[0].replicas[0] == leader ? (*layout)[0].replicas[1] : (*layout)[0].replicas[0];
    raw_client c(node(leader).port());
    auto batch = [] {
        storage::batch_builder b;
        b.add({std::nullopt, storage::bytes_of("needs two copies"), 1700000000000, {}});
        return *b.build();
    };
    EXPECT_EQ(produce_batch(c, "strict", batch()).error, 0) << "both replicas in sync";

    node(follower).kill9();
    ASSERT_TRUE(wait_until(
        [&] {
            auto v = describe_topic(node(leader).port(), "strict");
            return v && (*v)[0].isr == std::vector<int32_t>{leader};
        },
        30s));
    EXPECT_EQ(produce_batch(c, "strict", batch()).error, 19) << "NOT_ENOUGH_REPLICAS";
    EXPECT_EQ(produce_batch(c, "strict", batch(), 1).error, 0) << "acks=1 does not ask for copies";
    EXPECT_TRUE(wait_until(
        [&] {
            return metric_sample(http_body(http_get(node(leader).metrics_port(), "/metrics")),
                                 "strata_replication_under_min_isr_partitions") == 1;
        },
        10s));
}

TEST_F(cluster_replication_test, a_batch_sent_behind_a_refused_one_is_answered_alike_until_the_producer_resends) {
    ASSERT_EQ(create_topic(node(1).bootstrap(), "pipelined", 1, {{"min.insync.replicas", "2"}}, 2), "");
    std::optional<std::vector<partition_view>> layout;
    ASSERT_TRUE(wait_until([&] { return (layout = settled("pipelined", 2)).has_value(); }, 30s));
    const int32_t leader = (*layout)[0].leader;
    const int32_t follower = (*layout)[0].replicas[0] == leader ? (*layout)[0].replicas[1] : (*layout)[0].replicas[0];
    raw_client c(node(leader).port());
    c.send(msg::init_producer_id_request{std::nullopt, 60000, -1, -1}, 4);
    auto pid = c.receive<msg::init_producer_id_response>(4);
    ASSERT_TRUE(pid && pid->error_code == 0);
    auto batch = [&](int32_t sequence) {
        storage::batch_options opts;
        opts.producer_id = pid->producer_id;
        opts.producer_epoch = pid->producer_epoch;
        opts.base_sequence = sequence;
        storage::batch_builder b(opts);
        b.add({std::nullopt, storage::bytes_of("s" + std::to_string(sequence)), 1700000000000, {}});
        return *b.build();
    };
    // The producer is known to the partition: sequence 0 is in.
    ASSERT_EQ(produce_batch(c, "pipelined", batch(0)).error, 0);
    node(follower).kill9();
    ASSERT_TRUE(wait_until([&] {
        auto v = describe_topic(node(leader).port(), "pipelined");
        return v && (*v)[0].isr == std::vector<int32_t>{leader};
    }, 30s));

    // Sequence 1 is refused before it is appended (acks=all, one replica in
    // sync). Sequence 2, which the producer sent behind it (acks=1 takes the
    // lone replica), finds 1 missing: answered as 1 was, NOT_ENOUGH_REPLICAS
    // (19), not OUT_OF_ORDER_SEQUENCE_NUMBER (45), which librdkafka takes as
    // lost sequence state (a new epoch, records sent again as new ones).
    EXPECT_EQ(produce_batch(c, "pipelined", batch(1)).error, 19);
    EXPECT_EQ(produce_batch(c, "pipelined", batch(2), 1).error, 19);
    // On a connection where nothing failed before it, the gap is out of order.
    raw_client elsewhere(node(leader).port());
    EXPECT_EQ(produce_batch(elsewhere, "pipelined", batch(2), 1).error, 45);
    // The producer sends again from sequence 1: both are appended, in order.
    EXPECT_EQ(produce_batch(c, "pipelined", batch(1), 1).error, 0);
    EXPECT_EQ(produce_batch(c, "pipelined", batch(2), 1).error, 0);
    const auto stored = read_partition(c, "pipelined");
    ASSERT_EQ(stored.records.size(), 3u);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(std::string(stored.records[size_t(i)].value.begin(), stored.records[size_t(i)].value.end()),
                  "s" + std::to_string(i));
}

TEST_F(cluster_replication_test, a_retried_batch_the_leader_holds_is_acknowledged_only_once_committed) {
    ASSERT_EQ(create_topic(node(1).bootstrap(), "retried", 1, {{"min.insync.replicas", "2"}}, 2), "");
    std::optional<std::vector<partition_view>> layout;
    ASSERT_TRUE(wait_until([&] { return (layout = settled("retried", 2)).has_value(); }, 30s));
    const int32_t leader = (*layout)[0].leader;
    const int32_t follower = (*layout)[0].replicas[0] == leader ? (*layout)[0].replicas[1] : (*layout)[0].replicas[0];
    raw_client first(node(leader).port()), retry(node(leader).port());
    first.send(msg::init_producer_id_request{std::nullopt, 60000, -1, -1}, 4);
    auto pid = first.receive<msg::init_producer_id_response>(4);
    ASSERT_TRUE(pid && pid->error_code == 0);
    auto idempotent_batch = [&] {
        storage::batch_options opts;
        opts.producer_id = pid->producer_id;
        opts.producer_epoch = pid->producer_epoch;
        opts.base_sequence = 0;
        storage::batch_builder b(opts);
        b.add({std::nullopt, storage::bytes_of("once committed"), 1700000000000, {}});
        return *b.build();
    };

    // The follower stalls: the batch is appended on the leader and waits for
    // it. The producer, its answer lost (a timeout, a reconnect), sends it
    // again on another connection: the retry finds it in the log, and must
    // not be acknowledged before the first would be. With the follower gone
    // for replica.lag.time.max.ms the ISR shrinks below min.insync.replicas:
    // NOT_ENOUGH_REPLICAS_AFTER_APPEND (20) for both, or REQUEST_TIMED_OUT (7).
    node(follower).pause();
    // Whichever arrives second is the retry of the other.
    auto outcome = std::async(std::launch::async, [&] { return produce_batch(first, "retried", idempotent_batch()); });
    auto retried = produce_batch(retry, "retried", idempotent_batch());
    EXPECT_TRUE(retried.error == 20 || retried.error == 7) << "the retry was answered " << retried.error;
    auto original = outcome.get();
    EXPECT_TRUE(original.error == 20 || original.error == 7) << "the original was answered " << original.error;
    node(follower).resume();

    // Stored once all the same.
    raw_client reader(node(leader).port());
    ASSERT_TRUE(wait_until([&] { return read_partition(reader, "retried").records.size() == 1; }, 30s));
}

// ElectLeaders of every partition (a null list) on the broker at `port`:
// error code by partition.
std::map<int32_t, int16_t> elect_all(uint16_t port, int8_t type) { return elect_leaders(port, type, "elected"); }

TEST_F(cluster_replication_test, elect_leaders_moves_leadership_back_to_the_preferred_replicas) {
    ASSERT_EQ(create_topic(node(1).bootstrap(), "elected", 3, {}, 3), "");
    std::optional<std::vector<partition_view>> layout;
    ASSERT_TRUE(wait_until([&] { return (layout = settled("elected", 3)).has_value(); }, 30s));
    const int32_t away = (*layout)[0].leader;
    EXPECT_EQ(elect_all(node(1).port(), 0), (std::map<int32_t, int16_t>{{0, 84}, {1, 84}, {2, 84}}))
        << "ELECTION_NOT_NEEDED: every preferred replica leads";
    node(away).kill9();
    ASSERT_TRUE(wait_until(
        [&] {
            layout = settled("elected", 2);
            return layout && (*layout)[0].leader != away;
        },
        30s));
    const int32_t asked = away % 3 + 1;
    EXPECT_EQ(elect_all(node(asked).port(), 0)[0], 80) << "PREFERRED_LEADER_NOT_AVAILABLE while it is down";
    EXPECT_EQ(elect_all(node(asked).port(), 1)[0], 84) << "an unclean election where a leader is live is not needed";
    node(away).start();
    // Back in sync but not leading (auto.leader.rebalance.enable=false here) until asked.
    ASSERT_TRUE(wait_until([&] { return (layout = settled("elected", 3)).has_value(); }, 60s));
    EXPECT_NE((*layout)[0].leader, away);
    auto results = elect_all(node(asked).port(), 0);
    EXPECT_EQ(results[0], 0);
    ASSERT_TRUE(wait_until(
        [&] {
            layout = settled("elected", 3);
            if (!layout) return false;
            for (const auto& p : *layout)
                if (p.leader != p.replicas.front()) return false;
            return true;
        },
        30s));
}

TEST_F(cluster_replication_test, a_restarted_follower_serves_what_was_committed_while_its_leader_is_out_of_reach) {
    ASSERT_EQ(create_topic(node(1).bootstrap(), "checkpointed", 1, {}, 2), "");
    std::optional<std::vector<partition_view>> layout;
    ASSERT_TRUE(wait_until([&] { return (layout = settled("checkpointed", 2)).has_value(); }, 30s));
    const int32_t leader = (*layout)[0].leader;
    const int32_t follower = (*layout)[0].replicas[0] == leader ? (*layout)[0].replicas[1] : (*layout)[0].replicas[0];
    ASSERT_NO_FATAL_FAILURE(produce("checkpointed", 0, 100, 1));
    // The follower learns the high watermark from its next fetch and
    // checkpoints it (replica.high.watermark.checkpoint.interval.ms, 5 s).
    const std::string checkpoint = node(follower).data_dir() + "/replication-offset-checkpoint";
    ASSERT_TRUE(wait_until([&] {
        std::ifstream in(checkpoint);
        const std::string text{std::istreambuf_iterator<char>(in), {}};
        return text.find("\ncheckpointed 0 100\n") != std::string::npos;
    }, 30s)) << checkpoint;

    // Its leader out of reach (paused, for less than a session), the
    // follower crashes and comes back: it serves the 100 committed records
    // from its own replica (KIP-392) at once, not nothing until its leader
    // answers again.
    node(leader).pause();
    node(follower).kill9();
    node(follower).start();
    raw_client c(node(follower).address());
    const auto replica = read_partition(c, "checkpointed", 0, 0);
    node(leader).resume();
    EXPECT_TRUE(replica.valid);
    EXPECT_EQ(replica.high_watermark, 100);
    EXPECT_EQ(replica.records.size(), 100u);
    ASSERT_TRUE(wait_until([&] { return settled("checkpointed", 2).has_value(); }, 60s));
    expect_every_acknowledged_record("checkpointed", 1);
}

class preferred_leader_test : public cluster_replication_test {
protected:
    std::vector<std::string> extra_overrides() const override {
        return {"leader.imbalance.check.interval.seconds=1", "leader.imbalance.per.broker.percentage=0"};
    }
};

TEST_F(preferred_leader_test, leadership_returns_to_the_preferred_replica_once_it_is_back_in_sync) {
    ASSERT_EQ(create_topic(node(1).bootstrap(), "balanced", 6, {}, 3), "");
    std::optional<std::vector<partition_view>> layout;
    ASSERT_TRUE(wait_until([&] { return (layout = settled("balanced", 3)).has_value(); }, 30s));
    // Placement leads with the preferred replica: two partitions per broker.
    for (const auto& p : *layout) ASSERT_EQ(p.leader, p.replicas.front());
    const int32_t away = (*layout)[0].leader;
    ASSERT_NO_FATAL_FAILURE(produce("balanced", 0, 600, 6));
    node(away).kill9();
    ASSERT_TRUE(wait_until(
        [&] {
            layout = settled("balanced", 2);
            if (!layout) return false;
            for (const auto& p : *layout)
                if (p.leader == away) return false;
            return true;
        },
        30s));
    node(away).start();
    // Back in sync, it leads what it prefers again: every partition by its first replica.
    ASSERT_TRUE(wait_until(
        [&] {
            layout = settled("balanced", 3);
            if (!layout) return false;
            for (const auto& p : *layout)
                if (p.leader != p.replicas.front()) return false;
            return true;
        },
        60s));
    EXPECT_GE(sum_of("strata_replication_partition_changes_total{kind=\"preferred\"}"), 2);
    expect_every_acknowledged_record("balanced", 6);
}

// KIP-392: brokers in racks of their own; a consumer that names a rack reads
// from the in-sync replica there, not from a leader in another rack.
class closest_replica_test : public cluster_replication_test {
protected:
    std::vector<std::string> extra_overrides() const override {
        return {"auto.leader.rebalance.enable=false", "broker.rack=rack-{id}",
                "replica.selector.class=org.apache.kafka.common.replica.RackAwareReplicaSelector"};
    }

    // Records of `topic` that broker `id` served to consumers (0 before any).
    double served_by(int32_t id, const std::string& topic) {
        return std::max(0.0, metric_sample(http_body(http_get(node(id).metrics_port(), "/metrics")),
                                           "strata_topic_messages_out_total{topic=\"" + topic + "\"}"));
    }
};

TEST_F(closest_replica_test, a_consumer_reads_from_the_in_sync_replica_in_its_rack) {
    ASSERT_EQ(create_topic(node(1).bootstrap(), "near", 1, {}, 3), "");
    std::optional<std::vector<partition_view>> layout;
    ASSERT_TRUE(wait_until([&] { return (layout = settled("near", 3)).has_value(); }, 30s));
    ASSERT_NO_FATAL_FAILURE(produce("near", 0, 300, 1));
    const int32_t leader = (*layout)[0].leader;
    const int32_t follower = leader % 3 + 1;
    const int32_t elsewhere = follower % 3 + 1;

    // Without a rack the leader serves; the followers serve no consumer.
    EXPECT_EQ(consume_all(bootstrap(), "near", 1, 300).size(), 300u);
    EXPECT_EQ(served_by(follower, "near"), 0);
    EXPECT_GE(served_by(leader, "near"), 300);

    // In the follower's rack the consumer is sent there and reads everything from it.
    const std::string rack = "rack-" + std::to_string(follower);
    auto got = consume_all(bootstrap(), "near", 1, 300, 60000, {{"client.rack", rack}});
    ASSERT_EQ(got.size(), 300u);
    for (const auto& r : got) EXPECT_EQ(*r.value, acknowledged.at({0, r.offset}));
    EXPECT_GE(served_by(follower, "near"), 300);
    EXPECT_EQ(served_by(elsewhere, "near"), 0) << "a replica in another rack is not chosen";
}

} // namespace
} // namespace strata::test
