#pragma once
#include "strata/kafka/protocol/messages/find_coordinator.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// FindCoordinator: this broker coordinates every group (single node); creates __consumer_offsets on first use.
struct find_coordinator_handler {
    using request = msg::find_coordinator_request;
    using response = msg::find_coordinator_response;
    static constexpr int16_t min_version = 0, max_version = 6;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
