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
    long before = broker.rss_kib();
    // Fifty clients each announce a frame of almost 100 MB and send 10 bytes of it.
    std::vector<std::unique_ptr<raw_client>> liars;
    for (int i = 0; i < 50; ++i) {
        liars.push_back(std::make_unique<raw_client>(broker.port()));
        std::vector<uint8_t> bytes{0x05, 0xf5, 0xe0, 0xf0, 0, 18, 0, 0, 0, 0, 0, 1, 0, 0};
        liars.back()->send_raw(bytes);
    }
    raw_client honest(broker.port());
    EXPECT_TRUE(answers_api_versions(honest));
    long after = broker.rss_kib();
    ASSERT_GT(before, 0);
    // Allocating the announced sizes would take ~5 GB.
    EXPECT_LT(after - before, 200 * 1024) << "RSS grew from " << before << " KiB to " << after << " KiB";
}

} // namespace
} // namespace strata::test
