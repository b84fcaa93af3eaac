#include "strata/kafka/server/handlers/describe_cluster.h"

namespace strata::kafka::server {

boost::asio::awaitable<describe_cluster_handler::response> describe_cluster_handler::handle(request_context& ctx,
                                                                                            request& req) {
    response resp;
    const auto& self = ctx.server.self;
    // Endpoint type 1 is brokers; 2 (controllers) is for KRaft quorum clients,
    // and this broker is its own controller.
    resp.endpoint_type = req.endpoint_type;
    resp.cluster_id = self.cluster_id;
    resp.controller_id = self.node_id;
    auto& b = resp.brokers.emplace_back();
    b.broker_id = self.node_id;
    b.host = self.host;
    b.port = self.port;
    b.rack = self.rack;
    co_return resp;
}

} // namespace strata::kafka::server
