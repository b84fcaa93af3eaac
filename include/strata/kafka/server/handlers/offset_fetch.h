#pragma once
#include "strata/kafka/protocol/messages/offset_fetch.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// OffsetFetch: committed offsets of one group (v1-7) or several (v8+).
struct offset_fetch_handler {
    using request = msg::offset_fetch_request;
    using response = msg::offset_fetch_response;
    static constexpr int16_t min_version = 1, max_version = 9;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
