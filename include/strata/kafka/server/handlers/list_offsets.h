#pragma once
#include "strata/kafka/protocol/messages/list_offsets.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// ListOffsets: earliest, latest, by timestamp and max-timestamp offsets.
struct list_offsets_handler {
    using request = msg::list_offsets_request;
    using response = msg::list_offsets_response;
    static constexpr int16_t min_version = 1, max_version = 10;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
