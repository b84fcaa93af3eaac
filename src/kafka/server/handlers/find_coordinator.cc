#include "strata/kafka/server/handlers/find_coordinator.h"

#include "strata/kafka/server/time.h"

namespace strata::kafka::server {
namespace {

// FindCoordinator key types.
constexpr int8_t group_key = 0;
constexpr int8_t transaction_key = 1;

// The coordinator of one key, or the error that says why there is none.
std::pair<error_code, std::string> locate(request_context& ctx, int8_t key_type) {
    if (key_type == group_key) {
        if (!ctx.server.offsets.ensure_topic(wall_clock_ms()))
            return {error_code::coordinator_not_available, "The offsets topic could not be created."};
        return {error_code::none, {}};
    }
    if (key_type == transaction_key)
        return {error_code::coordinator_not_available, "Transactions are not supported yet."};
    return {error_code::invalid_request, "Unknown coordinator key type " + std::to_string(key_type)};
}

} // namespace

boost::asio::awaitable<find_coordinator_handler::response> find_coordinator_handler::handle(request_context& ctx,
                                                                                            request& req) {
    response resp;
    const auto& self = ctx.server.self;
    if (ctx.api_version < 4) {
        auto [error, message] = locate(ctx, req.key_type);
        resp.error_code = code(error);
        if (error != error_code::none) {
            resp.error_message = message;
            resp.node_id = -1;
            resp.port = -1;
            co_return resp;
        }
        resp.node_id = self.node_id;
        resp.host = self.host;
        resp.port = self.port;
        co_return resp;
    }
    // v4+: batched keys (KIP-699).
    for (const auto& key : req.coordinator_keys) {
        auto& c = resp.coordinators.emplace_back();
        c.key = key;
        auto [error, message] = locate(ctx, req.key_type);
        c.error_code = code(error);
        if (error != error_code::none) {
            c.error_message = message;
            c.node_id = -1;
            c.port = -1;
            continue;
        }
        c.node_id = self.node_id;
        c.host = self.host;
        c.port = self.port;
    }
    co_return resp;
}

} // namespace strata::kafka::server
