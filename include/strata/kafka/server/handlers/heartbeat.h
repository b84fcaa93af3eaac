#pragma once
#include "strata/kafka/protocol/messages/heartbeat.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// Heartbeat: keeps a classic group member's session alive and tells it about rebalances.
struct heartbeat_handler {
    using request = msg::heartbeat_request;
    using response = msg::heartbeat_response;
    static constexpr int16_t min_version = 0, max_version = 4;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
