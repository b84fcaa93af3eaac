// etcd::client against a real etcd (Debian's etcd-server): reads, writes,
// compare-and-swap, leases, watches, and what happens when etcd is missing,
// stalled or has compacted the history a watch asks for.

#include <gtest/gtest.h>

#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "broker_process.h"
#include "etcd_process.h"
#include "http_client.h"
#include "strata/cluster/etcd/etcd_client.h"

namespace strata::test {
namespace {

namespace asio = boost::asio;
namespace etcd = cluster::etcd;
using namespace std::chrono_literals;

// Runs one client call to completion on `io`.
template<class T>
T run(asio::io_context& io, asio::awaitable<T> op) {
    std::optional<T> out;
    asio::co_spawn(
        io, [&out, op = std::move(op)]() mutable -> asio::awaitable<void> { out.emplace(co_await std::move(op)); },
        asio::detached);
    io.restart();
    while (!out && io.run_one() > 0) {}
    return std::move(*out);
}

class etcd_client_test : public ::testing::Test {
protected:
    etcd::client make_client(std::vector<uint16_t> ports, std::chrono::milliseconds timeout = 2000ms) {
        std::vector<etcd::endpoint> eps;
        for (auto p : ports) eps.push_back({"127.0.0.1", p});
        return etcd::client(io.get_executor(), std::move(eps), timeout);
    }

    etcd_process server;
    asio::io_context io;
};

TEST_F(etcd_client_test, reads_back_what_it_wrote_byte_for_byte) {
    auto c = make_client({server.client_port()});
    const std::string binary("v\0\xff\x01 \"quoted\"\n", 15);
    auto put = run(io, c.put("/t/a", binary));
    ASSERT_TRUE(put) << etcd::to_string(put.error());
    ASSERT_TRUE(run(io, c.put("/t/b", "2")));
    ASSERT_TRUE(run(io, c.put("/u/c", "outside the prefix")));

    auto a = run(io, c.get("/t/a"));
    ASSERT_TRUE(a);
    ASSERT_EQ(a->kvs.size(), 1u);
    EXPECT_EQ(a->kvs[0].value, binary);
    EXPECT_EQ(a->kvs[0].mod_revision, *put);
    EXPECT_EQ(a->kvs[0].create_revision, *put);

    auto t = run(io, c.get_prefix("/t/"));
    ASSERT_TRUE(t);
    ASSERT_EQ(t->kvs.size(), 2u);
    EXPECT_EQ(t->kvs[0].key, "/t/a");
    EXPECT_EQ(t->kvs[1].key, "/t/b");
    EXPECT_GE(t->revision, *put + 2);

    ASSERT_TRUE(run(io, c.erase("/t/a")));
    auto gone = run(io, c.get("/t/a"));
    ASSERT_TRUE(gone);
    EXPECT_TRUE(gone->kvs.empty());
}

TEST_F(etcd_client_test, compare_and_swap_lets_one_writer_win) {
    auto c = make_client({server.client_port()});
    auto first = run(io, c.txn({etcd::compare::absent("/cas")}, {etcd::request_op::put("/cas", "first")},
                               {etcd::request_op::get("/cas")}));
    ASSERT_TRUE(first);
    EXPECT_TRUE(first->succeeded);
    auto second = run(io, c.txn({etcd::compare::absent("/cas")}, {etcd::request_op::put("/cas", "second")},
                                {etcd::request_op::get("/cas")}));
    ASSERT_TRUE(second);
    EXPECT_FALSE(second->succeeded);
    ASSERT_EQ(second->ranges.size(), 1u);
    ASSERT_EQ(second->ranges[0].kvs.size(), 1u);
    EXPECT_EQ(second->ranges[0].kvs[0].value, "first");

    // A writer that read at a stale revision loses; one that read the latest wins.
    const int64_t read_at = second->ranges[0].kvs[0].mod_revision;
    auto update = run(io, c.txn({etcd::compare::unchanged_since("/cas", read_at)},
                                {etcd::request_op::put("/cas", "updated")}));
    ASSERT_TRUE(update);
    EXPECT_TRUE(update->succeeded);
    auto stale = run(io, c.txn({etcd::compare::unchanged_since("/cas", read_at)},
                               {etcd::request_op::put("/cas", "stale")}));
    ASSERT_TRUE(stale);
    EXPECT_FALSE(stale->succeeded);
    EXPECT_EQ(run(io, c.get("/cas"))->kvs.at(0).value, "updated");
}

TEST_F(etcd_client_test, a_key_bound_to_a_lease_goes_with_it) {
    auto c = make_client({server.client_port()});
    auto lease = run(io, c.grant_lease(30));
    ASSERT_TRUE(lease) << etcd::to_string(lease.error());
    EXPECT_EQ(lease->ttl_s, 30);
    ASSERT_TRUE(run(io, c.put("/leased", "x", lease->id)));
    EXPECT_EQ(run(io, c.get("/leased"))->kvs.at(0).lease, lease->id);

    auto ttl = run(io, c.keep_alive(lease->id));
    ASSERT_TRUE(ttl);
    EXPECT_EQ(*ttl, 30);

    ASSERT_TRUE(run(io, c.revoke_lease(lease->id)));
    EXPECT_TRUE(run(io, c.get("/leased"))->kvs.empty());
    auto expired = run(io, c.keep_alive(lease->id));
    ASSERT_FALSE(expired);
    EXPECT_EQ(expired.error(), etcd::errc::lease_not_found);
    auto revoked_again = run(io, c.revoke_lease(lease->id));
    ASSERT_FALSE(revoked_again);
    EXPECT_EQ(revoked_again.error(), etcd::errc::lease_not_found);
}

TEST_F(etcd_client_test, a_lease_without_keep_alives_expires) {
    auto c = make_client({server.client_port()});
    auto lease = run(io, c.grant_lease(2));
    ASSERT_TRUE(lease);
    ASSERT_TRUE(run(io, c.put("/short", "x", lease->id)));
    EXPECT_TRUE(wait_until([&] { return run(io, c.get("/short"))->kvs.empty(); }, 15s));
    EXPECT_EQ(run(io, c.keep_alive(lease->id)).error(), etcd::errc::lease_not_found);
}

TEST_F(etcd_client_test, a_watch_sees_history_and_new_events_in_order) {
    auto c = make_client({server.client_port()});
    auto first = run(io, c.put("/w/1", "a"));
    ASSERT_TRUE(first);
    ASSERT_TRUE(run(io, c.put("/elsewhere", "not watched")));

    std::vector<etcd::watch_event> seen;
    auto canceller = std::make_shared<etcd::stream_canceller>();
    std::optional<result<void, etcd::errc>> ended;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            ended = co_await c.watch_prefix("/w/", *first, [&](const etcd::watch_message& m) {
                seen.insert(seen.end(), m.events.begin(), m.events.end());
                return true;
            }, canceller);
        },
        asio::detached);
    // The writes go through a second client while the watch streams.
    auto writer = make_client({server.client_port()});
    ASSERT_TRUE(run(io, writer.put("/w/2", "b")));
    ASSERT_TRUE(run(io, writer.erase("/w/1")));
    io.restart();
    while (seen.size() < 3 && io.run_one_for(10s) > 0) {}
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0].kv.key, "/w/1");  // replayed from the start revision
    EXPECT_EQ(seen[0].type, etcd::event_type::put);
    EXPECT_EQ(seen[1].kv.key, "/w/2");
    EXPECT_EQ(seen[1].kv.value, "b");
    EXPECT_EQ(seen[2].kv.key, "/w/1");
    EXPECT_EQ(seen[2].type, etcd::event_type::erase);
    EXPECT_LT(seen[1].kv.mod_revision, seen[2].kv.mod_revision);

    canceller->cancel();
    while (!ended && io.run_one_for(10s) > 0) {}
    ASSERT_TRUE(ended);
    ASSERT_FALSE(*ended);
    EXPECT_EQ(ended->error(), etcd::errc::canceled);
}

TEST_F(etcd_client_test, a_watch_from_compacted_history_says_so) {
    auto c = make_client({server.client_port()});
    auto old = run(io, c.put("/h/1", "a"));
    ASSERT_TRUE(old);
    auto latest = run(io, c.put("/h/1", "b"));
    ASSERT_TRUE(latest);
    auto compacted = http_request(server.client_port(), "POST", "/v3/kv/compaction",
                                  R"({"revision":")" + std::to_string(*latest) + R"("})", "application/json");
    ASSERT_NE(compacted.find(" 200 "), std::string::npos) << compacted;
    auto r = run(io, c.watch_prefix("/h/", *old, [](const etcd::watch_message&) { return true; },
                                    std::make_shared<etcd::stream_canceller>()));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), etcd::errc::compacted);
}

TEST_F(etcd_client_test, the_next_endpoint_answers_when_the_first_is_down) {
    auto c = make_client({free_port(), server.client_port()});
    auto r = run(io, c.put("/failover", "x"));
    ASSERT_TRUE(r) << etcd::to_string(r.error());
    EXPECT_EQ(c.current_endpoint().port, server.client_port());

    auto nobody = make_client({free_port()});
    auto down = run(io, nobody.get("/failover"));
    ASSERT_FALSE(down);
    EXPECT_EQ(down.error(), etcd::errc::unavailable);
}

TEST_F(etcd_client_test, a_stalled_etcd_is_a_timeout_and_service_resumes_after_it) {
    auto c = make_client({server.client_port()}, 500ms);
    ASSERT_TRUE(run(io, c.put("/stall", "before")));  // leaves a kept-alive connection
    server.pause();
    auto r = run(io, c.get("/stall"));
    server.resume();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), etcd::errc::timeout);
    auto after = run(io, c.get("/stall"));
    ASSERT_TRUE(after) << etcd::to_string(after.error());
    EXPECT_EQ(after->kvs.at(0).value, "before");
}

} // namespace
} // namespace strata::test
