#pragma once
#include "strata/kafka/protocol/messages/describe_groups.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// DescribeGroups: state, protocol and members of groups.
struct describe_groups_handler {
    using request = msg::describe_groups_request;
    using response = msg::describe_groups_response;
    static constexpr int16_t min_version = 0, max_version = 6;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
