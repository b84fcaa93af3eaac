#include "strata/kafka/server/handlers/describe_cluster.h"

namespace strata::kafka::server {

boost::asio::awaitable<describe_cluster_handler::response> describe_cluster_handler::handle(request_context& ctx,
                                                                                            request& req) {
    response resp;
    // Endpoint type 1 is brokers; 2 (controllers) is for KRaft quorum
    // clients, and Strata's controller is one of its brokers.
    resp.endpoint_type = req.endpoint_type;
    resp.cluster_id = ctx.server.self.cluster_id;
    resp.controller_id = ctx.server.brokers.controller_id();
    for (const auto& [id, broker] : ctx.server.brokers.live()) {
        auto& b = resp.brokers.emplace_back();
        b.broker_id = id;
        b.host = broker.host;
        b.port = broker.port;
        b.rack = broker.rack;
    }
    co_return resp;
}

} // namespace strata::kafka::server
