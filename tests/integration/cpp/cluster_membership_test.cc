// Brokers form a cluster through etcd: each registers under a lease, one is
// the controller, and every broker's Metadata and DescribeCluster list the
// live brokers and the controller. A broker killed, paused past its session
// timeout or shut down leaves the list and the controller role moves; a
// restarted one comes back at once; a broker still joining answers no client. Three real brokers and a real etcd.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <set>

#include "broker_process.h"
#include "etcd_process.h"
#include "http_client.h"
#include "raw_client.h"
#include "strata/kafka/protocol/messages/describe_cluster.h"
#include "strata/kafka/protocol/messages/metadata.h"

namespace strata::test {
namespace {

using namespace std::chrono_literals;
namespace msg = kafka::msg;

// Short sessions keep the test quick; etcd's leases are whole seconds.
constexpr int short_session_ms = 3000;

struct cluster_view {
    std::set<int32_t> brokers;
    std::map<int32_t, int32_t> ports;
    int32_t controller = -1;
    std::string cluster_id;
};

std::optional<cluster_view> metadata_of(uint16_t port) {
    raw_client c(port);
    msg::metadata_request req;
    req.topics = std::vector<msg::metadata_request::metadata_request_topic>{};
    c.send(req, 12);
    auto resp = c.receive<msg::metadata_response>(12);
    if (!resp) return std::nullopt;
    cluster_view v;
    for (const auto& b : resp->brokers) {
        v.brokers.insert(b.node_id);
        v.ports[b.node_id] = b.port;
    }
    v.controller = resp->controller_id;
    v.cluster_id = resp->cluster_id.value_or("");
    return v;
}

std::optional<cluster_view> describe_cluster_of(uint16_t port) {
    raw_client c(port);
    msg::describe_cluster_request req;
    c.send(req, 1);
    auto resp = c.receive<msg::describe_cluster_response>(1);
    if (!resp) return std::nullopt;
    cluster_view v;
    for (const auto& b : resp->brokers) v.brokers.insert(b.broker_id);
    v.controller = resp->controller_id;
    v.cluster_id = resp->cluster_id;
    return v;
}

class cluster_membership_test : public ::testing::Test {
protected:
    std::vector<std::string> overrides(int node_id) const {
        return {"node.id=" + std::to_string(node_id), "metadata.etcd.endpoints=" + etcd.endpoint(),
                "broker.session.timeout.ms=" + std::to_string(session_ms),
                "broker.heartbeat.interval.ms=500"};
    }

    void start_cluster() {
        for (int id = 1; id <= 3; ++id) brokers.push_back(std::make_unique<broker_process>(overrides(id)));
    }

    broker_process& node(int32_t id) { return *brokers.at(size_t(id - 1)); }

    // Every running broker lists exactly `expected` and names the same live controller.
    bool agree_on(const std::set<int32_t>& expected) {
        int32_t controller = -2;
        for (auto& b : brokers) {
            if (!b->running()) continue;
            auto v = metadata_of(b->port());
            if (!v || v->brokers != expected || !expected.contains(v->controller)) return false;
            if (controller != -2 && v->controller != controller) return false;
            controller = v->controller;
        }
        return true;
    }

    int32_t controller() { return metadata_of(brokers.front()->running() ? brokers[0]->port() : brokers[1]->port())->controller; }

    int session_ms = short_session_ms;
    etcd_process etcd;
    std::vector<std::unique_ptr<broker_process>> brokers;
};

TEST_F(cluster_membership_test, every_broker_lists_the_live_brokers_and_one_controller) {
    start_cluster();
    ASSERT_TRUE(wait_until([&] { return agree_on({1, 2, 3}); }, 30s));
    std::string cluster_id;
    for (auto& b : brokers) {
        auto m = metadata_of(b->port());
        ASSERT_TRUE(m);
        for (int32_t id = 1; id <= 3; ++id) EXPECT_EQ(m->ports.at(id), node(id).port());
        if (cluster_id.empty()) cluster_id = m->cluster_id;
        EXPECT_EQ(m->cluster_id, cluster_id) << "one cluster id for all";
        auto d = describe_cluster_of(b->port());
        ASSERT_TRUE(d);
        EXPECT_EQ(d->brokers, (std::set<int32_t>{1, 2, 3}));
        EXPECT_EQ(d->controller, m->controller);
        EXPECT_EQ(d->cluster_id, cluster_id);
        // meta.properties holds the cluster's id, as Kafka's does.
        std::ifstream props(b->data_dir() + "/meta.properties");
        std::string text((std::istreambuf_iterator<char>(props)), {});
        EXPECT_NE(text.find("cluster.id=" + cluster_id), std::string::npos) << text;
    }
    // The membership metrics: three live brokers everywhere, one active controller.
    int active_controllers = 0;
    for (auto& b : brokers) {
        std::string metrics;
        ASSERT_TRUE(wait_until(
            [&] {
                metrics = http_body(http_get(b->metrics_port(), "/metrics"));
                return metric_sample(metrics, "strata_cluster_live_brokers") == 3;
            },
            10s))
            << metrics;
        EXPECT_EQ(metric_sample(metrics, "strata_cluster_registered"), 1);
        EXPECT_GT(metric_sample(metrics, "strata_etcd_requests_total{outcome=\"ok\"}"), 0);
        EXPECT_GT(metric_sample(metrics, "strata_cluster_controller_epoch"), 0);
        active_controllers += int(metric_sample(metrics, "strata_cluster_active_controller"));
    }
    EXPECT_EQ(active_controllers, 1);
}

TEST_F(cluster_membership_test, a_killed_controller_is_replaced_and_the_broker_rejoins_when_restarted) {
    start_cluster();
    ASSERT_TRUE(wait_until([&] { return agree_on({1, 2, 3}); }, 30s));
    const int32_t old_controller = controller();
    node(old_controller).kill9();
    std::set<int32_t> rest{1, 2, 3};
    rest.erase(old_controller);
    // Gone once its lease expires (the session timeout), and someone else leads.
    ASSERT_TRUE(wait_until([&] { return agree_on(rest); }, 30s));
    for (auto& b : brokers)
        if (b->running()) EXPECT_NE(metadata_of(b->port())->controller, old_controller);

    node(old_controller).start();
    ASSERT_TRUE(wait_until([&] { return agree_on({1, 2, 3}); }, 30s));
}

TEST_F(cluster_membership_test, a_broker_restarted_at_once_after_kill9_ends_its_old_registration) {
    // A session far longer than a restart, even of a sanitizer build on a busy machine.
    session_ms = 30000;
    start_cluster();
    ASSERT_TRUE(wait_until([&] { return agree_on({1, 2, 3}); }, 30s));
    // Restarted within its session: its previous lease is still alive, and
    // it revokes it rather than wait a session for it to expire.
    node(2).kill9();
    node(2).start();
    ASSERT_TRUE(wait_until([&] { return agree_on({1, 2, 3}); }, 30s));
    EXPECT_EQ(node(2).log_lines_containing("revoked lease"), 1u);
    EXPECT_EQ(node(2).log_lines_containing("is still registered by"), 0u);
}

TEST_F(cluster_membership_test, a_paused_broker_drops_out_after_its_session_and_rejoins_when_resumed) {
    start_cluster();
    ASSERT_TRUE(wait_until([&] { return agree_on({1, 2, 3}); }, 30s));
    const int32_t paused = controller() == 3 ? 2 : 3;
    node(paused).pause();
    std::set<int32_t> rest{1, 2, 3};
    rest.erase(paused);
    // Checked on the others only: the paused one answers nothing.
    bool dropped = wait_until(
        [&] {
            for (int32_t id : rest)
                if (metadata_of(node(id).port())->brokers != rest) return false;
            return true;
        },
        30s);
    node(paused).resume();
    ASSERT_TRUE(dropped);
    ASSERT_TRUE(wait_until([&] { return agree_on({1, 2, 3}); }, 30s));
    EXPECT_GE(node(paused).log_lines_containing("its etcd lease expired"), 1u);
}

TEST_F(cluster_membership_test, a_controlled_shutdown_leaves_at_once) {
    start_cluster();
    ASSERT_TRUE(wait_until([&] { return agree_on({1, 2, 3}); }, 30s));
    const int32_t leaving = controller();
    EXPECT_EQ(node(leaving).stop(), 0);
    EXPECT_EQ(node(leaving).log_lines_containing("left the cluster (lease"), 1u);
    std::set<int32_t> rest{1, 2, 3};
    rest.erase(leaving);
    ASSERT_TRUE(wait_until([&] { return agree_on(rest); }, 30s));
}

TEST_F(cluster_membership_test, the_cluster_carries_on_after_etcd_is_down_for_a_while) {
    start_cluster();
    ASSERT_TRUE(wait_until([&] { return agree_on({1, 2, 3}); }, 30s));
    etcd.stop();  // kill -9; its data stays
    // Heartbeats fail for a while; the brokers keep serving what they knew.
    ASSERT_TRUE(wait_until([&] { return node(1).log_lines_containing("cannot heartbeat to etcd") > 0; }, 30s));
    EXPECT_EQ(metadata_of(node(2).port())->brokers, (std::set<int32_t>{1, 2, 3}));
    etcd.start();
    // Leases outlive an etcd restart; watches resume from a fresh read.
    ASSERT_TRUE(wait_until([&] { return agree_on({1, 2, 3}); }, 30s));
    ASSERT_TRUE(wait_until([&] { return node(1).log_lines_containing("is reachable again") > 0; }, 30s));
    // And the cluster still follows changes: a broker that leaves is seen leaving.
    const int32_t leaving = controller() == 3 ? 2 : 3;
    EXPECT_EQ(node(leaving).stop(), 0);
    std::set<int32_t> rest{1, 2, 3};
    rest.erase(leaving);
    ASSERT_TRUE(wait_until([&] { return agree_on(rest); }, 30s));
}

TEST_F(cluster_membership_test, a_joining_broker_answers_no_client_until_it_has_joined) {
    broker_process member(overrides(1));
    // etcd is gone: the new broker binds its ports and keeps trying to join.
    etcd.stop();
    broker_process joiner(overrides(2), broker_process::spawned_only{});
    ASSERT_TRUE(wait_until([&] { return joiner.log_lines_containing("listening for Kafka clients") > 0; }, 60s))
        << joiner.log_file();
    // The kernel completes the connection (the port listens), but the broker
    // reads nothing from it: it knows no topic, no cluster, no controller yet.
    raw_client c(joiner.port());
    msg::metadata_request req;
    req.topics = std::vector<msg::metadata_request::metadata_request_topic>{};
    c.send(req, 12);
    EXPECT_FALSE(c.receive_frame(2000)) << "a broker answered a client before it joined the cluster";
    // Once etcd is back it joins, and the request it left waiting is answered.
    etcd.start();
    auto answered = c.receive<msg::metadata_response>(12, nullptr, 60000);
    ASSERT_TRUE(answered.has_value());
    std::set<int32_t> listed;
    for (const auto& b : answered->brokers) listed.insert(b.node_id);
    EXPECT_TRUE(listed.contains(2)) << "it answered as a member of the cluster";
    EXPECT_TRUE(wait_until([&] { auto v = metadata_of(joiner.port()); return v && v->brokers == std::set<int32_t>{1, 2}; },
                           30s));
}

TEST_F(cluster_membership_test, two_brokers_cannot_share_a_node_id) {
    broker_process first(overrides(7));
    try {
        broker_process second(overrides(7));
        FAIL() << "a second broker with node.id 7 started";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("node.id 7 is registered by a live broker"), std::string::npos)
            << e.what();
    }
    EXPECT_TRUE(metadata_of(first.port()));
}

TEST_F(cluster_membership_test, a_log_dir_of_another_cluster_is_refused) {
    broker_process member(overrides(1));
    auto stranger = std::make_unique<broker_process>();  // a single broker: a cluster of its own
    const std::string dir = stranger->data_dir();
    stranger->stop();
    // The same log dir joining the etcd cluster: its meta.properties names another cluster.
    std::vector<std::string> args = overrides(2);
    args.push_back("log.dirs=" + dir);
    try {
        broker_process joiner(args);
        FAIL() << "a log dir of another cluster joined";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("belongs to another cluster"), std::string::npos) << e.what();
    }
    // Refused before it registered: it never showed up in the cluster.
    EXPECT_EQ(metadata_of(member.port())->brokers, std::set<int32_t>{1});
}

} // namespace
} // namespace strata::test
