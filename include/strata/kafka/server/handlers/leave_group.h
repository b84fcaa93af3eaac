#pragma once
#include "strata/kafka/protocol/messages/leave_group.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// LeaveGroup: members (v3+: several at once) leave a classic group, which rebalances.
struct leave_group_handler {
    using request = msg::leave_group_request;
    using response = msg::leave_group_response;
    static constexpr int16_t min_version = 0, max_version = 5;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
