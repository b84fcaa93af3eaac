#pragma once
#include "strata/kafka/protocol/messages/create_partitions.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// CreatePartitions: grows a topic's partition count.
struct create_partitions_handler {
    using request = msg::create_partitions_request;
    using response = msg::create_partitions_response;
    static constexpr int16_t min_version = 0, max_version = 3;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
