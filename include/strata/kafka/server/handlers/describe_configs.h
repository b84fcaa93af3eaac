#pragma once
#include "strata/kafka/protocol/messages/describe_configs.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// DescribeConfigs: topic configs with their source and synonyms; broker properties.
struct describe_configs_handler {
    using request = msg::describe_configs_request;
    using response = msg::describe_configs_response;
    static constexpr int16_t min_version = 1, max_version = 4;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
