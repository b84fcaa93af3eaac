#pragma once
#include "strata/kafka/protocol/messages/create_topics.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// CreateTopics: validates names, partition counts, replication factors and configs.
struct create_topics_handler {
    using request = msg::create_topics_request;
    using response = msg::create_topics_response;
    static constexpr int16_t min_version = 2, max_version = 7;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
