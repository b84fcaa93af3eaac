#pragma once
#include "strata/kafka/protocol/messages/consumer_group_heartbeat.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// ConsumerGroupHeartbeat: the KIP-848 consumer protocol; the broker assigns partitions.
struct consumer_group_heartbeat_handler {
    using request = msg::consumer_group_heartbeat_request;
    using response = msg::consumer_group_heartbeat_response;
    static constexpr int16_t min_version = 0, max_version = 1;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
