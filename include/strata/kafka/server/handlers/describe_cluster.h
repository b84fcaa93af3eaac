#pragma once
#include "strata/kafka/protocol/messages/describe_cluster.h"
#include "strata/kafka/server/handler.h"

namespace strata::kafka::server {

// DescribeCluster: the cluster id, controller and brokers.
struct describe_cluster_handler {
    using request = msg::describe_cluster_request;
    using response = msg::describe_cluster_response;
    static constexpr int16_t min_version = 0, max_version = 2;
    static boost::asio::awaitable<response> handle(request_context& ctx, request& req);
};

} // namespace strata::kafka::server
