#pragma once
// Topic administration in a cluster: every change is written to etcd with a
// compare-and-swap on what this broker last read, and answered once this
// broker's own watch has applied it (cluster_topic_state), so that a client
// that created a topic here finds it here at once. Any broker may write:
// etcd orders the writes, and the compare refuses one based on a stale read.
// A creation writes the partitions first (under the new topic id) and the
// topic record last: the topic exists from that one write, and a creation
// that loses a race leaves nothing another incarnation would read.
// Implicit creations (auto-created and internal topics) run in the
// background: the table answers creation_in_progress meanwhile.
// Lives on the broker thread.

#include <chrono>
#include <set>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "strata/cluster/broker_directory.h"
#include "strata/cluster/cluster_topic_state.h"
#include "strata/cluster/etcd/etcd_client.h"
#include "strata/cluster/topic_admin.h"

namespace strata::cluster {

class etcd_topic_admin final : public topic_admin {
public:
    etcd_topic_admin(boost::asio::any_io_executor executor, etcd::client& etcd, cluster_topic_state& state,
                     const broker_directory& brokers, std::string prefix, std::chrono::milliseconds timeout);

    boost::asio::awaitable<result<kafka::uuid, errc>> create_topic(new_topic t) override;
    boost::asio::awaitable<result<void, errc>> delete_topic(std::string name) override;
    boost::asio::awaitable<result<void, errc>> create_partitions(
        std::string name, int32_t total, std::vector<std::vector<int32_t>> assignments) override;
    boost::asio::awaitable<result<void, errc>> set_configs(std::string name, config_map configs) override;

    // Starts creating a topic nobody waits for (the topic table's cluster
    // creator); one creation per name at a time.
    void create_in_background(new_topic t);

private:
    // Replica lists for `count` new partitions from `first`: the given ones
    // checked against the live brokers, or placed over them.
    result<std::vector<std::vector<int32_t>>, errc> assign(const std::vector<std::vector<int32_t>>& given,
                                                           int32_t count, int16_t replication_factor,
                                                           int32_t first) const;
    // Writes `ops` in transactions etcd accepts (it limits the operations of one).
    boost::asio::awaitable<result<void, errc>> put_all(std::vector<etcd::request_op> ops);
    boost::asio::awaitable<void> create_unawaited(new_topic t);
    // After a write at `revision`: until this broker has it too.
    boost::asio::awaitable<void> settle(int64_t revision);

    boost::asio::any_io_executor executor_;
    etcd::client& etcd_;
    cluster_topic_state& state_;
    const broker_directory& brokers_;
    std::string prefix_;
    std::chrono::milliseconds timeout_;
    std::set<std::string> creating_;
};

} // namespace strata::cluster
