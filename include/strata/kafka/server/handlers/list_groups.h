#pragma once
#include "strata/kafka/protocol/messages/list_groups.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// ListGroups: every group, filtered by state (v4+) and type (v5+).
struct list_groups_handler {
    using request = msg::list_groups_request;
    using response = msg::list_groups_response;
    static constexpr int16_t min_version = 0, max_version = 5;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
