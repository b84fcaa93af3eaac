#pragma once
// One request in flight: its header, the connection it came on and the server
// it is handled by. Created by the dispatcher per request; handlers read it and
// may set `suppress_response` (acks=0 produce).

#include <cstdint>
#include <optional>
#include <string>

#include "strata/kafka/server/server_context.h"
#include "strata/net/frame_handler.h"

namespace strata::kafka::server {

struct request_context {
    int16_t api_key;
    int16_t api_version;
    int32_t correlation_id;
    std::optional<std::string> client_id;
    const net::connection_info& connection;
    server_context& server;
    // Set by a handler whose request expects no response.
    bool suppress_response = false;
    // Set by a handler that wants the connection closed after this request.
    bool close_connection = false;
};

} // namespace strata::kafka::server
