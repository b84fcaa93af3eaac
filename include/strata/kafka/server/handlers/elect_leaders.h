#pragma once
#include "strata/kafka/protocol/messages/elect_leaders.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// ElectLeaders (kafka-leader-election): preferred or unclean elections of the
// named partitions, or of every partition when none are named.
struct elect_leaders_handler {
    using request = msg::elect_leaders_request;
    using response = msg::elect_leaders_response;
    static constexpr int16_t min_version = 0, max_version = 2;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
