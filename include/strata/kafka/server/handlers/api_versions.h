#pragma once
#include "strata/kafka/protocol/messages/api_versions.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// ApiVersions: the versions this broker serves, from the handler table.
struct api_versions_handler {
    using request = msg::api_versions_request;
    using response = msg::api_versions_response;
    static constexpr int16_t min_version = 0, max_version = 4;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
    // The response every version shares (also the UNSUPPORTED_VERSION answer).
    static response supported_versions(error_code error);
};

} // namespace strata::kafka::server
