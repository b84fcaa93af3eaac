#pragma once
#include "strata/kafka/protocol/messages/offset_for_leader_epoch.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// OffsetForLeaderEpoch: the end offset of a leader epoch (KIP-101, KIP-320).
struct offset_for_leader_epoch_handler {
    using request = msg::offset_for_leader_epoch_request;
    using response = msg::offset_for_leader_epoch_response;
    static constexpr int16_t min_version = 2, max_version = 4;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
