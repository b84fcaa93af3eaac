// group_commit across its two threads: producers on the broker thread append
// and wait while the flusher thread syncs, segments roll under it, and logs
// are forgotten mid-round. Run under ThreadSanitizer by `make tsan-test`.

#include "strata/cluster/group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <thread>
#include <vector>

#include "../storage/test_batches.h"

namespace strata::cluster {
namespace {

namespace asio = boost::asio;
using storage::testing::make_batch;

class group_commit_test : public ::testing::Test {
protected:
    storage::log& open_log(int n) {
        storage::log_config cfg;
        cfg.segment_bytes = 4096;  // rolls every few batches: rolled files join the syncs
        auto l = storage::log::open(tmp_.path() / ("t-" + std::to_string(n)), cfg, true, 100000);
        EXPECT_TRUE(l);
        logs_.push_back(std::move(*l));
        return *logs_.back();
    }

    // Appends `batches` batches to `log`, waiting for each to be durable.
    asio::awaitable<void> producer(storage::log& log, int batches, int* acked) {
        for (int i = 0; i < batches; ++i) {
            auto b = make_batch({.records = 2, .value_size = 200});
            auto r = log.append(b, 0, 100000);
            EXPECT_TRUE(r);
            if (!r) co_return;
            bool ok = co_await commits_->wait_durable(log, r->last_offset);
            EXPECT_TRUE(ok);
            EXPECT_GT(log.durable_offset(), r->last_offset);
            ++*acked;
        }
    }

    storage::testing::temp_dir tmp_;
    asio::io_context io_;
    std::atomic<int> rounds_{0};
    std::atomic<std::thread::id> sync_thread_{};
    std::unique_ptr<group_commit> commits_ = std::make_unique<group_commit>(io_.get_executor(), [this](double) {
        sync_thread_ = std::this_thread::get_id();
        ++rounds_;
    });
    std::vector<std::unique_ptr<storage::log>> logs_;
};

TEST_F(group_commit_test, concurrent_producers_share_syncs_and_every_wait_completes) {
    constexpr int logs = 4, producers_per_log = 3, batches = 25;
    int acked = 0;
    for (int l = 0; l < logs; ++l) {
        auto& log = open_log(l);
        for (int p = 0; p < producers_per_log; ++p)
            asio::co_spawn(io_, producer(log, batches, &acked), asio::detached);
    }
    io_.run();
    EXPECT_EQ(acked, logs * producers_per_log * batches);
    for (auto& l : logs_) EXPECT_EQ(l->durable_offset(), l->log_end_offset());
    // Waiting producers share rounds; the syncs ran on the flusher thread.
    EXPECT_GT(rounds_.load(), 0);
    EXPECT_LT(rounds_.load(), acked);
    EXPECT_NE(sync_thread_.load(), std::this_thread::get_id());
    commits_->stop();
}

TEST_F(group_commit_test, forgetting_a_log_mid_round_fails_its_waiters_only) {
    auto& doomed = open_log(0);
    auto& kept = open_log(1);
    int kept_acked = 0;
    std::vector<bool> doomed_results;
    asio::co_spawn(io_, [&]() -> asio::awaitable<void> {
        for (int i = 0; i < 20; ++i) {
            auto b = make_batch({.records = 1});
            auto r = doomed.append(b, 0, 100000);
            EXPECT_TRUE(r);
            doomed_results.push_back(co_await commits_->wait_durable(doomed, r->last_offset));
        }
    }, asio::detached);
    asio::co_spawn(io_, producer(kept, 20, &kept_acked), asio::detached);
    // Runs once both producers wait, before the first round's completion
    // (posted later) is handled: the doomed log's waiter is with the flusher.
    asio::co_spawn(io_, [&]() -> asio::awaitable<void> {
        commits_->forget(doomed);
        co_return;
    }, asio::detached);
    io_.run();
    EXPECT_EQ(kept_acked, 20);
    ASSERT_FALSE(doomed_results.empty());
    EXPECT_FALSE(doomed_results.front()) << "the waiter of a forgotten log was told its data is durable";
    commits_->stop();
}

TEST_F(group_commit_test, stop_with_a_round_in_flight_joins_cleanly) {
    auto& log = open_log(0);
    int acked = 0;
    asio::co_spawn(io_, producer(log, 5, &acked), asio::detached);
    io_.run_one();  // the first round is handed to the flusher
    commits_->stop();
    commits_.reset();  // joins the flusher; nothing may touch the freed object
    SUCCEED();
}

} // namespace
} // namespace strata::cluster
