#pragma once
#include "strata/kafka/protocol/messages/incremental_alter_configs.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// IncrementalAlterConfigs: SET, DELETE, APPEND and SUBTRACT on topic configs.
struct incremental_alter_configs_handler {
    using request = msg::incremental_alter_configs_request;
    using response = msg::incremental_alter_configs_response;
    static constexpr int16_t min_version = 0, max_version = 1;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
