#pragma once
#include "strata/kafka/protocol/messages/alter_configs.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// AlterConfigs: replaces a topic's whole set of config overrides.
struct alter_configs_handler {
    using request = msg::alter_configs_request;
    using response = msg::alter_configs_response;
    static constexpr int16_t min_version = 0, max_version = 2;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
