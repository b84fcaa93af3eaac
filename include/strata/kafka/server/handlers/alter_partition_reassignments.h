#pragma once
#include "strata/kafka/protocol/messages/alter_partition_reassignments.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// AlterPartitionReassignments (kafka-reassign-partitions --execute / --cancel):
// starts moving partitions to other replicas, or cancels a move under way.
struct alter_partition_reassignments_handler {
    using request = msg::alter_partition_reassignments_request;
    using response = msg::alter_partition_reassignments_response;
    static constexpr int16_t min_version = 0, max_version = 1;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
