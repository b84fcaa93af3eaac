#pragma once
// Turns frames into handler calls: parses the request header, checks the API
// key and version against the handler table, and answers the way Apache Kafka
// does when they do not match (ApiVersions: an UNSUPPORTED_VERSION response
// listing the versions; any other API: the connection is closed).
// Lives on the broker thread; one per listener.

#include <span>
#include <vector>

#include "strata/kafka/server/handler.h"
#include "strata/net/frame_handler.h"

namespace strata::kafka::server {

class dispatcher final : public net::frame_handler {
public:
    explicit dispatcher(server_context& ctx);

    boost::asio::awaitable<net::frame_outcome> handle_frame(net::frame_bytes& frame,
                                                            const net::connection_info& conn) override;

    // The table ApiVersions advertises.
    static std::span<const handler_entry> handlers();
    static const handler_entry* find(int16_t api_key);

private:
    server_context& ctx_;
};

} // namespace strata::kafka::server
