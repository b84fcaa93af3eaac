#pragma once
// The topics of a cluster as etcd has them (topic_records.h has the keys),
// applied to this broker's topic table: what cluster_membership reads at
// join and watches after is handed here. It remembers each topic's mod
// revision, so that writers can compare-and-swap against what they read, and
// the newest revision applied, so that a writer can wait until its own write
// has reached this broker before it answers. Lives on the broker thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "strata/cluster/etcd/etcd_types.h"
#include "strata/cluster/partition.h"
#include "strata/cluster/topic_records.h"
#include "strata/cluster/topic_table.h"

namespace strata::cluster {

class cluster_topic_state {
public:
    struct known_topic {
        records::topic_value value;
        int64_t mod_revision = 0;
    };
    struct known_partition {
        records::partition_value value;
        int64_t mod_revision = 0;
    };
    using partition_map = std::map<int32_t, known_partition>;

    cluster_topic_state(boost::asio::any_io_executor executor, topic_table& topics, std::string prefix);

    // Everything under the prefix, read at `revision` (join, or a watch that broke).
    void load(const std::vector<etcd::key_value>& kvs, int64_t revision);
    // One watched change; keys that are not about topics are ignored.
    void apply(const etcd::watch_event& e);

    const known_topic* find(const std::string& name) const;
    // The partition assignments of a topic, as etcd has them.
    const partition_map* partitions_of(const kafka::uuid& id) const;
    const std::map<std::string, known_topic>& topics() const { return topics_; }
    int64_t applied_revision() const { return applied_revision_; }
    // Told after every change applied to the topic table.
    void on_change(std::function<void()> f) { on_change_ = std::move(f); }
    // Until this broker has applied `revision`, or `timeout` passed; false then.
    boost::asio::awaitable<bool> wait_applied(int64_t revision, std::chrono::milliseconds timeout);

private:
    // Brings the topic table's view of `name` to what is known of it.
    void reconcile(const std::string& name);
    void advance(int64_t revision);

    boost::asio::any_io_executor executor_;
    topic_table& table_;
    std::string prefix_;
    std::map<std::string, known_topic> topics_;
    std::map<kafka::uuid, std::string> names_;  // the topic of each live id
    std::map<kafka::uuid, partition_map> partitions_;
    int64_t applied_revision_ = 0;
    std::function<void()> on_change_;
    std::vector<std::pair<int64_t, std::weak_ptr<waiter>>> revision_waiters_;
};

} // namespace strata::cluster
