#pragma once
#include "strata/kafka/protocol/messages/sync_group.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// SyncGroup: the leader hands out the assignment; every member receives its share.
struct sync_group_handler {
    using request = msg::sync_group_request;
    using response = msg::sync_group_response;
    static constexpr int16_t min_version = 0, max_version = 5;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
