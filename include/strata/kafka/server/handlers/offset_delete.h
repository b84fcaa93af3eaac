#pragma once
#include "strata/kafka/protocol/messages/offset_delete.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// OffsetDelete: removes a group's committed offsets for topics it is not subscribed to.
struct offset_delete_handler {
    using request = msg::offset_delete_request;
    using response = msg::offset_delete_response;
    static constexpr int16_t min_version = 0, max_version = 0;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
