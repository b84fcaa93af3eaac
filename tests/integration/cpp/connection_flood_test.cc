// Many connections at once: thousands idle, hundreds sending a request one
// byte at a time, and more than the broker has file descriptors for. Clients
// that were already connected keep producing and consuming throughout, the
// broker's memory stays bounded, and it accepts again once descriptors free up.

#include <sys/resource.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include "broker_process.h"
#include "partition_io.h"
#include "raw_client.h"
#include "strata/kafka/protocol/messages/api_versions.h"
#include "strata/storage/batch_builder.h"

namespace strata::test {
namespace {

using namespace strata::kafka;
using clock_type = std::chrono::steady_clock;

// CPU seconds (user + system) the process has used.
double cpu_seconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), {});
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::string f;
    long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> f; ++i) {
        if (i == 14) utime = std::stol(f);
        if (i == 15) stime = std::stol(f);
    }
    return double(utime + stime) / double(::sysconf(_SC_CLK_TCK));
}

// An ApiVersions v0 request frame, length prefix included.
std::vector<uint8_t> api_versions_frame() {
    writer w;
    msg::request_header h;
    h.request_api_key = msg::api_versions_request::kafka_api_key;
    h.correlation_id = 3;
    h.client_id = "slow";
    h.encode(w, 1);
    msg::api_versions_request{}.encode(w, 0);
    auto body = w.buffer();
    std::vector<uint8_t> frame{0, 0, uint8_t(body.size() >> 8), uint8_t(body.size())};
    frame.insert(frame.end(), body.begin(), body.end());
    return frame;
}

class connection_flood : public ::testing::Test {
protected:
    void start_broker(std::vector<std::string> overrides = {}) {
        broker = std::make_unique<broker_process>(std::move(overrides));
        active = std::make_unique<raw_client>(broker->port());
        ASSERT_EQ(create_topic(*active, "busy"), 0);
    }

    // One produce (acks=all) and a fetch of it on the already-open active
    // connection; returns how long the round trip took, or a negative value
    // when it failed.
    double active_round_trip() {
        auto start = clock_type::now();
        storage::batch_builder b;
        b.add({std::nullopt, storage::bytes_of("still here"), 1700000000000, {}});
        auto p = produce_batch(*active, "busy", *b.build());
        if (p.error != 0) return -1;
        auto got = read_partition(*active, "busy", p.base_offset);
        if (!got.valid || got.records.empty() || got.records.back().offset != p.base_offset) return -1;
        return std::chrono::duration<double>(clock_type::now() - start).count();
    }

    std::unique_ptr<broker_process> broker;
    std::unique_ptr<raw_client> active;
};

TEST_F(connection_flood, thousands_of_idle_and_byte_at_a_time_clients_leave_active_ones_served) {
    // Both ends hold ~3300 descriptors: raise the soft limit (the broker inherits it).
    rlimit fds{};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &fds), 0);
    ASSERT_GE(fds.rlim_max, 4000u) << "the hard limit on open files is too low for this test";
    fds.rlim_cur = std::max<rlim_t>(fds.rlim_cur, std::min<rlim_t>(fds.rlim_max, 8192));
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &fds), 0);
    start_broker();
    ASSERT_GT(active_round_trip(), 0);
    const long rss_before = broker->rss_kib();

    std::vector<std::unique_ptr<raw_client>> idle;
    for (int i = 0; i < 3000; ++i) {
        idle.push_back(std::make_unique<raw_client>(broker->port()));
        if (i % 500 == 499) EXPECT_GT(active_round_trip(), 0) << "after " << i + 1 << " idle connections";
    }

    // 300 clients send one request each, a byte at a time, taking turns; the
    // active client goes on between every round of bytes.
    const auto frame = api_versions_frame();
    std::vector<std::unique_ptr<raw_client>> slow;
    for (int i = 0; i < 300; ++i) slow.push_back(std::make_unique<raw_client>(broker->port()));
    double worst = 0;
    for (size_t at = 0; at < frame.size(); ++at) {
        for (auto& c : slow) c->send_raw({frame[at]});
        double rt = active_round_trip();
        ASSERT_GT(rt, 0) << "the active client failed after byte " << at;
        worst = std::max(worst, rt);
    }
    // Generous: a loaded CI machine is slow, but starving would be far slower.
    EXPECT_LT(worst, 5.0) << "an active round trip took " << worst << " s";
    // Every slow request, once whole, is answered.
    for (auto& c : slow) {
        auto reply = c->receive_frame();
        ASSERT_TRUE(reply);
        EXPECT_GT(reply->size(), 10u);
    }
    const long rss_after = broker->rss_kib();
    ASSERT_GT(rss_before, 0);
    // 3300 connections: well under 30 KiB each.
    EXPECT_LT(rss_after - rss_before, 100 * 1024) << "RSS grew from " << rss_before << " KiB to " << rss_after << " KiB";
    // Closing them all gives the memory back to the connection pool, not to a leak:
    // the broker still answers.
    idle.clear();
    slow.clear();
    EXPECT_GT(active_round_trip(), 0);
}

TEST_F(connection_flood, running_out_of_file_descriptors_neither_spins_nor_stops_accepting) {
    // The broker inherits a small descriptor limit from this process.
    rlimit saved{};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved), 0);
    rlimit small = saved;
    small.rlim_cur = 256;
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &small), 0);
    start_broker();
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &saved), 0);
    ASSERT_GT(active_round_trip(), 0);

    // More connections than the broker can hold descriptors for; the kernel
    // completes the handshakes and queues the rest.
    std::vector<std::unique_ptr<raw_client>> flood;
    for (int i = 0; i < 400; ++i) flood.push_back(std::make_unique<raw_client>(broker->port()));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));

    // While descriptors are exhausted, the broker does not burn a core
    // retrying accept, and the connected client is served.
    const double cpu_start = cpu_seconds(broker->pid());
    const auto wall_start = clock_type::now();
    for (int i = 0; i < 10; ++i) {
        EXPECT_GT(active_round_trip(), 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    const double wall = std::chrono::duration<double>(clock_type::now() - wall_start).count();
    const double cpu = cpu_seconds(broker->pid()) - cpu_start;
    EXPECT_LT(cpu, 0.1 * wall) << "the broker used " << cpu << " CPU-seconds in " << wall << " s";
    // Nor does it log every failed attempt.
    EXPECT_LT(std::filesystem::file_size(broker->log_file()), 256u * 1024) << "see " << broker->log_file();

    // Descriptors free up: the broker accepts again, queued clients included.
    flood.clear();
    bool served = false;
    for (int attempt = 0; attempt < 100 && !served; ++attempt) {
        raw_client late(broker->port());
        late.send(msg::api_versions_request{}, 0);
        served = late.receive<msg::api_versions_response>(0).has_value();
        if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_TRUE(served);
}

} // namespace
} // namespace strata::test
