#pragma once
// The internal topic _schemas (one partition, compacted): where the registry
// keeps its state, in Confluent's record formats (schema_records.h). Created
// by the first write; replayed at start-up and tailed after. A write answers
// once its records are on disk (group commit) and, in a cluster, on every
// in-sync replica, so an acknowledged registration survives a crash with its
// ID. Owned by the registry; broker thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "strata/cluster/group_commit.h"
#include "strata/cluster/topic_table.h"
#include "strata/schema/schema_records.h"

namespace strata::schema {

inline constexpr std::string_view schemas_topic_name = "_schemas";

class schemas_topic {
public:
    schemas_topic(cluster::topic_table& topics, cluster::group_commit& commits);

    // The topic's one partition, when this broker knows it.
    cluster::partition* partition();
    // Hands the records at offsets [from, to) to `apply`, in log order;
    // false when the log cannot be read.
    bool replay(int64_t from, int64_t to, const std::function<void(const registry_record&)>& apply);
    // Appends the records as one batch and waits until they are durable and
    // committed; false when they could not be written or were not committed
    // within `commit_timeout` (they may still be, later).
    boost::asio::awaitable<bool> append(const std::vector<registry_record>& records, int64_t now_ms);
    // Creates the topic unless it exists: at once on a single broker, in the
    // background in a cluster. The partition when it exists and this broker leads it.
    cluster::partition* ensure_partition(int64_t now_ms);

private:

    cluster::topic_table& topics_;
    cluster::group_commit& commits_;
    std::chrono::milliseconds commit_timeout_{10000};
};

} // namespace strata::schema
