#pragma once
#include "strata/kafka/protocol/messages/produce.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// Produce: validates each partition's batches, appends them and, for acks=all,
// answers once they are durable (group commit).
struct produce_handler {
    using request = msg::produce_request;
    using response = msg::produce_response;
    static constexpr int16_t min_version = 3, max_version = 13;
    // Kafka 4.x advertises Produce from v0 although it rejects v0-2: older
    // librdkafka releases disable compression when the advertised range does
    // not start at 0 (KAFKA-18659).
    static constexpr int16_t advertised_min_version = 0;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
