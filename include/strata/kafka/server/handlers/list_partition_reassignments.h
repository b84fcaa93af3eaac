#pragma once
#include "strata/kafka/protocol/messages/list_partition_reassignments.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// ListPartitionReassignments (kafka-reassign-partitions --verify / --list):
// the reassignments under way, with the replicas being added and removed.
struct list_partition_reassignments_handler {
    using request = msg::list_partition_reassignments_request;
    using response = msg::list_partition_reassignments_response;
    static constexpr int16_t min_version = 0, max_version = 0;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
