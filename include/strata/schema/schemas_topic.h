#pragma once
// The internal topic _schemas (one partition, compacted): where the registry
// keeps its state, in Confluent's record formats (schema_records.h). Created
// by the first write; replayed at start-up. A write answers once its records
// are on disk (group commit), so an acknowledged registration survives a
// crash with its ID. Owned by the registry; broker thread.

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

    // Hands every record of the topic (if it exists) to `apply`, in log
    // order; false when the log cannot be read.
    bool replay(const std::function<void(const registry_record&)>& apply);
    // Appends the records as one batch and waits until they are durable.
    boost::asio::awaitable<bool> append(const std::vector<registry_record>& records, int64_t now_ms);

private:
    cluster::partition* ensure_partition(int64_t now_ms);

    cluster::topic_table& topics_;
    cluster::group_commit& commits_;
};

} // namespace strata::schema
