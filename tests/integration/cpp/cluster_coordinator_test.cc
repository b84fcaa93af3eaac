// The group coordinator follows leadership: a group's coordinator is the
// leader of its __consumer_offsets partition, which is replicated
// (offsets.topic.replication.factor 3), so when that broker is killed another
// one takes the partition over with the group and its committed offsets, and
// when leadership moves back the group moves with it. Three real brokers, a
// real etcd, librdkafka members in processes of their own.

#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "cluster_kit.h"
#include "member_process.h"
#include "rdkafka_client.h"
#include "strata/coordinator/offsets_topic.h"

namespace strata::test {
namespace {

using namespace std::chrono_literals;

constexpr int32_t partitions = 6;

class cluster_coordinator_test : public ::testing::Test {
protected:
    void SetUp() override {
        brokers = start_cluster(etcd, 3,
                                {"auto.leader.rebalance.enable=false", "replica.lag.time.max.ms=5000",
                                 "replica.fetch.backoff.ms=200"});
    }

    broker_process& node(int32_t id) { return *brokers.at(size_t(id - 1)); }
    std::string bootstrap() const { return running_bootstrap(brokers); }

    // Every running broker names the same live coordinator for `group`; it, or -1.
    int32_t agreed_coordinator(const std::string& group) {
        int32_t agreed = -1;
        for (auto& b : brokers) {
            if (!b->running()) continue;
            const int32_t named = find_group_coordinator(b->port(), group);
            if (named < 0 || !node(named).running() || (agreed >= 0 && named != agreed)) return -1;
            agreed = named;
        }
        return agreed;
    }

    // Every partition of `topic` has a live leader and `isr_size` in-sync replicas, on every running broker.
    bool in_sync(const std::string& topic, size_t isr_size) {
        for (auto& b : brokers) {
            if (!b->running()) continue;
            auto v = describe_topic(b->port(), topic);
            if (!v) return false;
            for (const auto& p : *v)
                if (p.leader < 0 || !node(p.leader).running() || p.isr.size() < isr_size) return false;
        }
        return true;
    }

    void produce(int from, int to) {
        producer p(bootstrap(), {{"acks", "all"}, {"enable.idempotence", "true"}});
        for (int i = from; i < to; ++i) p.send("orders", {i % partitions, -1, std::nullopt, std::to_string(i), {}, 0});
        p.flush();
        ASSERT_TRUE(p.failures.empty());
        ASSERT_EQ(p.acknowledged.size(), size_t(to - from));
    }

    // The numbers the members consumed between them (each at least once).
    std::set<int64_t> consumed(const std::vector<member_process*>& members) {
        std::set<int64_t> numbers;
        for (const auto* m : members)
            for (const auto& r : m->records()) numbers.insert(r.number);
        return numbers;
    }

    etcd_process etcd;
    std::vector<std::unique_ptr<broker_process>> brokers;
};

TEST_F(cluster_coordinator_test, a_group_keeps_its_offsets_and_carries_on_when_its_coordinator_fails_over_and_back) {
    ASSERT_EQ(create_topic(node(1).bootstrap(), "orders", partitions, {}, 3), "");
    ASSERT_TRUE(wait_until([&] { return in_sync("orders", 3); }, 30s));
    member_process first("first", bootstrap(), "sharers", "orders", "range", 10000);
    member_process second("second", bootstrap(), "sharers", "orders", "range", 10000);
    const std::vector<member_process*> members{&first, &second};
    auto describe = [&] { return first.describe() + " " + second.describe(); };
    ASSERT_TRUE(wait_until([&] { return first.assignment().size() == 3 && second.assignment().size() == 3; }, 60s))
        << describe();
    ASSERT_NO_FATAL_FAILURE(produce(0, 300));
    ASSERT_TRUE(wait_until([&] { return consumed(members).size() == 300; }, 60s)) << describe();

    // Every record is committed (50 per partition) at the coordinator, and
    // the offsets topic is fully replicated.
    int32_t coordinator = -1;
    ASSERT_TRUE(wait_until([&] { return (coordinator = agreed_coordinator("sharers")) > 0; }, 30s));
    const std::vector<int64_t> all_committed(size_t(partitions), 50);
    ASSERT_TRUE(wait_until([&] { return committed_offsets(node(coordinator).port(), "sharers", "orders", partitions) == all_committed; }, 30s));
    ASSERT_TRUE(wait_until([&] { return in_sync(std::string(coordinator::offsets_topic_name), 3); }, 30s));
    const int32_t other = coordinator % 3 + 1;
    EXPECT_EQ(committed_offsets(node(other).port(), "sharers", "orders", partitions), std::nullopt)
        << "another broker does not coordinate the group (NOT_COORDINATOR)";

    // The coordinator dies: another broker leads the group's offsets
    // partition and serves the offsets committed before.
    node(coordinator).kill9();
    int32_t successor = -1;
    ASSERT_TRUE(wait_until([&] { return (successor = agreed_coordinator("sharers")) > 0; }, 60s));
    EXPECT_NE(successor, coordinator);
    EXPECT_EQ(committed_offsets(node(successor).port(), "sharers", "orders", partitions), all_committed);
    ASSERT_NO_FATAL_FAILURE(produce(300, 600));
    ASSERT_TRUE(wait_until([&] { return consumed(members).size() == 600; }, 90s)) << describe();
    const std::vector<int64_t> all_committed_twice(size_t(partitions), 100);
    ASSERT_TRUE(wait_until([&] { return committed_offsets(node(successor).port(), "sharers", "orders", partitions) == all_committed_twice; }, 60s))
        << describe();

    // The first coordinator comes back, catches up and is elected again (it
    // is the preferred leader): the group moves back with its offsets.
    node(coordinator).start();
    ASSERT_TRUE(wait_until([&] { return in_sync(std::string(coordinator::offsets_topic_name), 3); }, 60s));
    ASSERT_TRUE(wait_until(
        [&] {
            (void)elect_leaders(node(successor).port(), 0, std::string(coordinator::offsets_topic_name));
            return agreed_coordinator("sharers") == coordinator;
        },
        60s));
    EXPECT_EQ(committed_offsets(node(successor).port(), "sharers", "orders", partitions), std::nullopt)
        << "the broker that stopped leading the partition no longer coordinates the group";
    EXPECT_EQ(committed_offsets(node(coordinator).port(), "sharers", "orders", partitions), all_committed_twice);
    ASSERT_NO_FATAL_FAILURE(produce(600, 900));
    ASSERT_TRUE(wait_until([&] { return consumed(members).size() == 900; }, 90s)) << describe();
    const std::vector<int64_t> all_committed_thrice(size_t(partitions), 150);
    EXPECT_TRUE(wait_until([&] { return committed_offsets(node(coordinator).port(), "sharers", "orders", partitions) == all_committed_thrice; }, 60s))
        << describe();
    EXPECT_TRUE(first.errors().empty() && second.errors().empty()) << describe();
    first.send("LEAVE");
    second.send("LEAVE");
    EXPECT_EQ(first.wait(60000), 0);
    EXPECT_EQ(second.wait(60000), 0);
}

} // namespace
} // namespace strata::test
