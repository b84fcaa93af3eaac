#pragma once
#include "strata/kafka/protocol/messages/consumer_group_describe.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// ConsumerGroupDescribe: KIP-848 groups with epochs, members, assignments and targets.
struct consumer_group_describe_handler {
    using request = msg::consumer_group_describe_request;
    using response = msg::consumer_group_describe_response;
    static constexpr int16_t min_version = 0, max_version = 1;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
