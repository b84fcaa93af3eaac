#pragma once
#include "strata/kafka/protocol/messages/metadata.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// Metadata: brokers, topics and partition leaders; auto-creates topics as Kafka does.
struct metadata_handler {
    using request = msg::metadata_request;
    using response = msg::metadata_response;
    static constexpr int16_t min_version = 0, max_version = 13;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
