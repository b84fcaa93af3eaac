#pragma once
#include "strata/kafka/protocol/messages/describe_log_dirs.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// DescribeLogDirs: partition sizes per log directory, and the disk's capacity.
struct describe_log_dirs_handler {
    using request = msg::describe_log_dirs_request;
    using response = msg::describe_log_dirs_response;
    static constexpr int16_t min_version = 1, max_version = 4;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
