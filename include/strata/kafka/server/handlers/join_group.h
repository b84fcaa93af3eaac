#pragma once
#include "strata/kafka/protocol/messages/join_group.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// JoinGroup: joins a classic group; waits for the join phase to complete.
struct join_group_handler {
    using request = msg::join_group_request;
    using response = msg::join_group_response;
    static constexpr int16_t min_version = 0, max_version = 9;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
