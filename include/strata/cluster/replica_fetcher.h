#pragma once
// A follower's side of replication: for every broker this one follows
// partitions of, a loop that fetches from that leader as Kafka's followers
// do (Fetch with the replica id, from each partition's log end, with the
// epoch of its last batch), appends what comes back as it is, takes the
// leader's high watermark, and truncates where the leader says the logs
// diverge (KIP-320). Loops start when partitions are assigned here
// (refresh()) and end when they have nothing left to fetch. Coroutines on
// the broker thread.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "strata/cluster/broker_directory.h"
#include "strata/cluster/topic_table.h"

namespace strata::cluster {

struct replica_fetch_settings {
    int32_t max_wait_ms = 500;            // replica.fetch.wait.max.ms
    int32_t max_bytes = 10 * 1024 * 1024;  // replica.fetch.response.max.bytes
    int32_t partition_max_bytes = 1024 * 1024;  // replica.fetch.max.bytes
    std::chrono::milliseconds request_timeout{30000};  // replica.socket.timeout.ms
    std::chrono::milliseconds backoff{1000};           // replica.fetch.backoff.ms
};

class replica_fetcher {
public:
    replica_fetcher(boost::asio::any_io_executor executor, topic_table& topics, const broker_directory& brokers,
                    replica_fetch_settings settings);

    // Starts a loop for every leader this broker follows a partition of and has none yet.
    void refresh();
    // Ends every loop at its next turn.
    void stop() { stopping_ = true; }
    size_t running() const { return running_.size(); }

private:
    boost::asio::awaitable<void> fetch_from(int32_t leader);
    boost::asio::awaitable<void> pause(std::chrono::milliseconds d);

    boost::asio::any_io_executor executor_;
    topic_table& topics_;
    const broker_directory& brokers_;
    replica_fetch_settings settings_;
    std::set<int32_t> running_;
    bool stopping_ = false;
};

} // namespace strata::cluster
