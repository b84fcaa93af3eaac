// Connection limits as Kafka names them, idle connections closed, and memory
// that follows the bytes clients send rather than the sizes they announce.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "broker_process.h"
#include "raw_client.h"
#include "strata/kafka/protocol/messages/api_versions.h"

namespace strata::test {
namespace {

using namespace strata::kafka;

bool answers_api_versions(raw_client& c) {
    c.send(msg::api_versions_request{}, 0);
    return c.receive<msg::api_versions_response>(0).has_value();
}

TEST(connection_limits, connections_beyond_max_connections_per_ip_are_closed) {
    broker_process broker({"max.connections.per.ip=3"});
    std::vector<std::unique_ptr<raw_client>> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(std::make_unique<raw_client>(broker.port()));
        ASSERT_TRUE(answers_api_versions(*clients.back()));
    }
    raw_client fourth(broker.port());
    EXPECT_TRUE(fourth.closed_by_peer());
    // Freeing a slot lets a new client in.
    clients.pop_back();
    bool admitted = false;
    for (int attempt = 0; attempt < 50 && !admitted; ++attempt) {
        raw_client again(broker.port());
        admitted = answers_api_versions(again);
    }
    EXPECT_TRUE(admitted);
}

// Opens connections from `source` until one is closed at once; how many stayed.
// Each admitted one must be served. Gives up past `cap`.
int admitted_from(uint16_t port, const char* source, std::vector<std::unique_ptr<raw_client>>& held, int cap = 10) {
    for (int n = 0; n < cap; ++n) {
        auto c = std::make_unique<raw_client>(port, source);
        if (!answers_api_versions(*c)) return n;
        held.push_back(std::move(c));
    }
    return cap;
}

TEST(connection_limits, per_ip_overrides_replace_the_default_for_the_addresses_they_name) {
    // 127.0.0.2 may hold 4 (more than the default), 127.0.0.3 none at all;
    // every other address the default 2. Kafka's "host:count" list.
    broker_process broker({"max.connections.per.ip=2", "max.connections.per.ip.overrides=127.0.0.2:4, 127.0.0.3:0"});
    std::vector<std::unique_ptr<raw_client>> held;
    EXPECT_EQ(admitted_from(broker.port(), "127.0.0.1", held), 2);
    EXPECT_EQ(admitted_from(broker.port(), "127.0.0.2", held), 4);
    EXPECT_EQ(admitted_from(broker.port(), "127.0.0.3", held), 0);
    // The addresses are counted apart: closing 127.0.0.2's leaves 127.0.0.1 at its limit.
    held.resize(2);
    EXPECT_EQ(admitted_from(broker.port(), "127.0.0.1", held), 0);
}

TEST(connection_limits, zero_per_ip_admits_only_the_overridden_hosts_which_may_be_names) {
    // max.connections.per.ip=0 with overrides: only the hosts named get in.
    // "localhost" is resolved at start-up, as Kafka does.
    broker_process broker({"max.connections.per.ip=0", "max.connections.per.ip.overrides=localhost:3"});
    std::vector<std::unique_ptr<raw_client>> held;
    EXPECT_EQ(admitted_from(broker.port(), "127.0.0.1", held), 3);
    EXPECT_EQ(admitted_from(broker.port(), "127.0.0.2", held), 0);
}

TEST(connection_limits, overrides_that_kafka_would_refuse_stop_the_broker) {
    for (std::vector<std::string> bad : {std::vector<std::string>{"max.connections.per.ip=0"},
                                         {"max.connections.per.ip.overrides=127.0.0.1"},
                                         {"max.connections.per.ip.overrides=no such host!:3"},
                                         {"max.connections.per.ip.overrides=strata-no-such-host.invalid:3"}}) {
        EXPECT_THROW(broker_process{bad}, std::runtime_error) << bad.front();
    }
}

TEST(connection_limits, at_max_connections_new_ones_wait_until_a_slot_frees) {
    broker_process broker({"max.connections=3"});
    std::vector<std::unique_ptr<raw_client>> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(std::make_unique<raw_client>(broker.port()));
        ASSERT_TRUE(answers_api_versions(*clients.back()));
    }
    // As Kafka does, the broker stops accepting rather than closing: the
    // fourth connection waits in the backlog, its request unanswered.
    raw_client fourth(broker.port());
    fourth.send(msg::api_versions_request{}, 0);
    EXPECT_FALSE(fourth.receive_frame(1000));
    EXPECT_FALSE(fourth.closed_by_peer(100));
    // One closes: the fourth is accepted and answered.
    clients.pop_back();
    EXPECT_TRUE(fourth.receive_frame());
    EXPECT_TRUE(answers_api_versions(*clients.front()));
}

TEST(connection_limits, max_connections_counts_every_listener) {
    // Kafka's max.connections is the broker's, not each listener's: with two
    // held on one listener, the other accepts nothing until one closes.
    const uint16_t second_port = free_port();
    broker_process broker({"max.connections=2",
                           "listeners=PLAINTEXT://127.0.0.1:{port},SECOND://127.0.0.1:" + std::to_string(second_port)});
    std::vector<std::unique_ptr<raw_client>> clients;
    clients.push_back(std::make_unique<raw_client>(broker.port()));
    ASSERT_TRUE(answers_api_versions(*clients.back()));
    clients.push_back(std::make_unique<raw_client>(second_port));
    ASSERT_TRUE(answers_api_versions(*clients.back()));
    raw_client third(second_port);
    third.send(msg::api_versions_request{}, 0);
    EXPECT_FALSE(third.receive_frame(1000));
    // The first listener's connection closes: the second listener, paused,
    // takes the waiting one.
    clients.erase(clients.begin());
    EXPECT_TRUE(third.receive_frame());
    EXPECT_TRUE(answers_api_versions(*clients.front()));
}

TEST(connection_limits, idle_connections_are_closed) {
    broker_process broker({"connections.max.idle.ms=300"});
    raw_client idle(broker.port());
    ASSERT_TRUE(answers_api_versions(idle));
    // The broker checks once a second; closed_by_peer waits up to 5 s.
    EXPECT_TRUE(idle.closed_by_peer());
    raw_client fresh(broker.port());
    EXPECT_TRUE(answers_api_versions(fresh));
}

TEST(connection_limits, announced_but_unsent_frames_cost_no_memory) {
    broker_process broker;
    // Address space (VmData), not RSS: the frame buffer does not zero what it
    // allocates, so a buffer of the announced size would take no resident
    // pages until written, and RSS could not tell the two designs apart.
    long before = broker.vm_data_kib();
    // Fifty clients each announce a frame of almost 100 MB and send 10 bytes of it.
    std::vector<std::unique_ptr<raw_client>> liars;
    for (int i = 0; i < 50; ++i) {
        liars.push_back(std::make_unique<raw_client>(broker.port()));
        std::vector<uint8_t> bytes{0x05, 0xf5, 0xe0, 0xf0, 0, 18, 0, 0, 0, 0, 0, 1, 0, 0};
        liars.back()->send_raw(bytes);
    }
    // Accepted after the fifty, whose announcements the broker has read by then.
    raw_client honest(broker.port());
    EXPECT_TRUE(answers_api_versions(honest));
    long after = broker.vm_data_kib();
    ASSERT_GT(before, 0);
    // Allocating the announced sizes would take ~5 GB; what arrived takes a
    // 256 KiB read chunk per connection.
    EXPECT_LT(after - before, 100 * 1024) << "VmData grew from " << before << " KiB to " << after << " KiB";
}

} // namespace
} // namespace strata::test
