#include "strata/kafka/server/handlers/init_producer_id.h"

namespace strata::kafka::server {

boost::asio::awaitable<init_producer_id_handler::response> init_producer_id_handler::handle(request_context& ctx,
                                                                                            request& req) {
    response resp;
    if (req.transactional_id) {
        // Transactions need the transaction coordinator, which is not built yet.
        resp.error_code = code(error_code::coordinator_not_available);
        co_return resp;
    }
    // KIP-360: an idempotent producer that lost its state asks for a new epoch
    // of the id it has; bumping it keeps its sequence numbers valid.
    if (req.producer_id >= 0 && req.producer_epoch >= 0 && req.producer_epoch < INT16_MAX - 1) {
        resp.producer_id = req.producer_id;
        resp.producer_epoch = int16_t(req.producer_epoch + 1);
        co_return resp;
    }
    const int64_t id = co_await ctx.server.producer_ids.next();
    if (id < 0) {
        // Kafka's answer when the controller cannot hand out a block: retriable.
        resp.error_code = code(ctx.server.brokers.clustered() ? error_code::coordinator_load_in_progress
                                                              : error_code::kafka_storage_error);
        co_return resp;
    }
    resp.producer_id = id;
    resp.producer_epoch = 0;
    co_return resp;
}

} // namespace strata::kafka::server
