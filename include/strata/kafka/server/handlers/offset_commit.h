#pragma once
#include "strata/kafka/protocol/messages/offset_commit.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// OffsetCommit: validates the member and generation, then stores the offsets durably in __consumer_offsets.
struct offset_commit_handler {
    using request = msg::offset_commit_request;
    using response = msg::offset_commit_response;
    static constexpr int16_t min_version = 2, max_version = 9;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
