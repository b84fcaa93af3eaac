#pragma once
#include "strata/kafka/protocol/messages/delete_topics.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// DeleteTopics: by name (v1-5) or by name or id (v6+).
struct delete_topics_handler {
    using request = msg::delete_topics_request;
    using response = msg::delete_topics_response;
    static constexpr int16_t min_version = 1, max_version = 6;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
