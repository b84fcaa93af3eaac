#pragma once
#include "strata/kafka/protocol/messages/init_producer_id.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// InitProducerId: producer ids and epochs for idempotent producers.
struct init_producer_id_handler {
    using request = msg::init_producer_id_request;
    using response = msg::init_producer_id_response;
    static constexpr int16_t min_version = 0, max_version = 5;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
