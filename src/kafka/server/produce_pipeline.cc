#include "strata/kafka/server/produce_pipeline.h"

#include <memory>

#include "strata/storage/producer_state.h"
#include "strata/storage/record_batch.h"

namespace strata::kafka::server {

std::optional<produce_pipeline::batch_id> produce_pipeline::identify(std::span<const uint8_t> records) {
    if (records.size() < storage::batch_header_size) return std::nullopt;
    const auto h = storage::batch_header::decode(records.data());
    if (!storage::producer_state::is_idempotent(h)) return std::nullopt;
    return batch_id{h.producer_id, h.producer_epoch, h.base_sequence};
}

produce_pipeline& produce_pipeline::of(const net::connection_info& conn) {
    // The Kafka protocol is the only one that keeps state on its connections.
    if (!conn.protocol_state) conn.protocol_state = std::make_shared<produce_pipeline>();
    return *std::static_pointer_cast<produce_pipeline>(conn.protocol_state);
}

void produce_pipeline::failed(const topic_partition& tp, const batch_id& batch, error_code error) {
    auto [it, fresh] = failures_.try_emplace({tp, batch.producer_id}, failure{batch.epoch, batch.base_sequence, error});
    // The earliest failure counts: the producer resends from there.
    if (!fresh && (it->second.epoch != batch.epoch || batch.base_sequence <= it->second.base_sequence))
        it->second = failure{batch.epoch, batch.base_sequence, error};
}

std::optional<error_code> produce_pipeline::behind_failure(const topic_partition& tp, const batch_id& batch) const {
    auto it = failures_.find({tp, batch.producer_id});
    if (it == failures_.end() || it->second.epoch != batch.epoch || batch.base_sequence <= it->second.base_sequence)
        return std::nullopt;
    return it->second.error;
}

} // namespace strata::kafka::server
