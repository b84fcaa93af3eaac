#pragma once
#include "strata/kafka/protocol/messages/delete_groups.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// DeleteGroups: removes groups without members, with their committed offsets.
struct delete_groups_handler {
    using request = msg::delete_groups_request;
    using response = msg::delete_groups_response;
    static constexpr int16_t min_version = 0, max_version = 2;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
