#pragma once
// The coordinator unit tests' fixture: a real topic table, logs and group
// commit in a temporary directory, an offset store and a classic group
// coordinator on one io_context that the test runs in slices, and helpers
// that drive classic members through JoinGroup and SyncGroup.

#include <gtest/gtest.h>

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <memory>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "strata/cluster/group_commit.h"
#include "strata/cluster/metadata_store.h"
#include "strata/cluster/topic_table.h"
#include "strata/coordinator/consumer_protocol.h"
#include "strata/coordinator/group_coordinator.h"
#include "strata/coordinator/group_leadership.h"
#include "strata/coordinator/offset_store.h"
#include "strata/storage/log_manager.h"

namespace strata::coordinator {

template<class T>
using outcome = std::shared_ptr<std::optional<T>>;

class coordinator_fixture : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/strata-groups-XXXXXX";
        dir_ = ::mkdtemp(tmpl);
        store_ = std::move(cluster::metadata_store::open((dir_ / "__cluster_metadata").string())).value();
        logs_ = std::make_unique<storage::log_manager>(dir_, storage::log_config{});
        ASSERT_TRUE(logs_->open_all(0));
        topics_ = std::make_unique<cluster::topic_table>(*store_, *logs_, cluster::config_map{{"num.partitions", "1"}}, 1);
        ASSERT_TRUE(topics_->load(0));
        commits_ = std::make_unique<cluster::group_commit>(io_.get_executor());
        open_coordinator();
    }
    void TearDown() override {
        leadership_.reset();
        consumer_groups_.reset();
        groups_.reset();
        offsets_.reset();
        run(std::chrono::milliseconds(10));
        commits_.reset();
        topics_.reset();
        if (logs_) (void)logs_->close_all();
        logs_.reset();
        store_.reset();
        std::filesystem::remove_all(dir_);
    }
    // A fresh offset store and coordinator, restored from __consumer_offsets (a restart).
    void open_coordinator() {
        leadership_.reset();
        consumer_groups_.reset();
        groups_.reset();
        offsets_ = std::make_unique<offset_store>(*topics_, *commits_, 3);
        groups_ = std::make_unique<group_coordinator>(io_.get_executor(), *offsets_, settings_);
        consumer_groups_ = std::make_unique<consumer_group_manager>(*topics_, consumer_group_settings{});
        leadership_ = std::make_unique<group_leadership>(*topics_, *offsets_, *groups_, *consumer_groups_);
        ASSERT_TRUE(leadership_->refresh());
    }
    // Runs the executor for `d`, then whatever is ready: on a loaded machine
    // a slow file operation (creating __consumer_offsets) can use up the
    // window while the replies it delayed are already queued.
    void run(std::chrono::milliseconds d) {
        io_.restart();
        io_.run_for(d);
        io_.restart();
        io_.poll();
    }
    // Runs until `done()` holds or `limit` passes. Replies that wait for a
    // durable write depend on fsync, which takes as long as the machine's load
    // makes it: a test expecting a reply waits for it rather than a fixed time.
    template<class Done>
    bool run_until(Done done, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!done()) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            run(std::chrono::milliseconds(5));
        }
        return true;
    }

    join_group_args args(const std::string& member_id, int16_t version = 5,
                         std::vector<std::string> topics = {"orders"}) {
        join_group_args a;
        a.group_id = "g";
        a.member_id = member_id;
        a.client_id = "client";
        a.client_host = "/127.0.0.1";
        a.session_timeout_ms = 10000;
        a.rebalance_timeout_ms = 10000;
        a.protocol_type = "consumer";
        a.protocols = {{"range", encode_subscription(topics)}, {"roundrobin", encode_subscription(topics)}};
        a.version = version;
        return a;
    }
    outcome<join_group_result> join(join_group_args a) {
        auto out = std::make_shared<std::optional<join_group_result>>();
        boost::asio::co_spawn(
            io_, [this, out, a = std::move(a)]() -> boost::asio::awaitable<void> { *out = co_await groups_->join(a); },
            boost::asio::detached);
        return out;
    }
    outcome<sync_group_result> sync(const std::string& member, int32_t generation,
                                    std::vector<std::pair<std::string, std::vector<uint8_t>>> assignments = {}) {
        auto out = std::make_shared<std::optional<sync_group_result>>();
        sync_group_args a{"g", generation, member, std::nullopt, std::nullopt, std::nullopt, std::move(assignments)};
        boost::asio::co_spawn(
            io_, [this, out, a = std::move(a)]() -> boost::asio::awaitable<void> { *out = co_await groups_->sync(a); },
            boost::asio::detached);
        return out;
    }
    // A v3 join (no KIP-394 round trip) that completes at once: returns the member id.
    join_group_result join_now(join_group_args a) {
        auto r = join(std::move(a));
        EXPECT_TRUE(run_until([&] { return r->has_value(); }));
        return r->value_or(join_group_result{});
    }
    // Two members A (leader) and B, synced and Stable; returns their ids.
    std::pair<std::string, std::string> stable_pair() {
        auto a = join_now(args("", 3));
        EXPECT_EQ(a.error, kafka::error_code::none);
        auto b = join(args("", 3));
        run(std::chrono::milliseconds(20));
        EXPECT_FALSE(b->has_value());  // waits for A to rejoin
        EXPECT_EQ(groups_->heartbeat("g", a.generation, a.member_id, std::nullopt), kafka::error_code::rebalance_in_progress);
        auto a2 = join_now(args(a.member_id, 3));
        EXPECT_TRUE(b->has_value());
        EXPECT_EQ(a2.generation, a.generation + 1);
        auto sb = sync((*b)->member_id, a2.generation);
        auto sa = sync(a2.member_id, a2.generation, {{a2.member_id, {1}}, {(*b)->member_id, {2}}});
        EXPECT_TRUE(run_until([&] { return sa->has_value() && sb->has_value(); }));
        return {a2.member_id, (*b)->member_id};
    }

    classic_group_settings settings_{0, 10, 1800000, 100};
    boost::asio::io_context io_;
    std::filesystem::path dir_;
    std::unique_ptr<cluster::metadata_store> store_;
    std::unique_ptr<storage::log_manager> logs_;
    std::unique_ptr<cluster::topic_table> topics_;
    std::unique_ptr<cluster::group_commit> commits_;
    std::unique_ptr<offset_store> offsets_;
    std::unique_ptr<group_coordinator> groups_;
    std::unique_ptr<consumer_group_manager> consumer_groups_;
    std::unique_ptr<group_leadership> leadership_;
};

} // namespace strata::coordinator
