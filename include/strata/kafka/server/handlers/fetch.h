#pragma once
#include "strata/kafka/protocol/messages/fetch.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// Fetch: reads record batches for consumers, long-polling until min_bytes are
// available or max_wait_ms passes, within incremental fetch sessions (KIP-227).
// Records go out as file regions (sendfile), never copied.
struct fetch_handler {
    using request = msg::fetch_request;
    using response = msg::fetch_response;
    static constexpr int16_t min_version = 4, max_version = 18;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
