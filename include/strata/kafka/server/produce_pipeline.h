#pragma once
// What one connection's producer has in flight, as far as a failed batch
// matters to the batches sent behind it.
//
// Producers pipeline their requests (librdkafka and the Java client keep up
// to five in flight per connection). When one fails without being appended
// (NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS), the ones sent behind it carry
// later sequence numbers. If this broker becomes the partition's leader
// while they arrive, they find a gap in the producer's sequence and would be
// refused OUT_OF_ORDER_SEQUENCE_NUMBER. librdkafka takes that as sequence
// state lost: it bumps its epoch and sends again, as new records, what it
// had not seen acknowledged, records the log may hold already (stored
// twice), or it stops with a fatal "rewound sequence" error. (Kafka has the
// same window, narrower: it reads one request per connection at a time.) So
// a batch behind such a failure gets the failure's own retriable answer
// instead, until the producer sends again from the failed sequence, as the
// clients do once their in-flight requests have come back.
//
// One per connection (net::connection_info::protocol_state), on the broker
// thread; freed with the connection.

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <utility>

#include "strata/base/types.h"
#include "strata/kafka/protocol/errors.h"
#include "strata/net/frame_handler.h"

namespace strata::kafka::server {

class produce_pipeline {
public:
    // An idempotent producer's batch: who sent it, and where its sequence starts.
    struct batch_id {
        int64_t producer_id;
        int16_t epoch;
        int32_t base_sequence;
    };
    // The producer batch at the start of `records`; none for a batch without
    // a producer id (not idempotent) or too short to tell.
    static std::optional<batch_id> identify(std::span<const uint8_t> records);

    // The pipeline of the connection `conn`, made on first use.
    static produce_pipeline& of(const net::connection_info& conn);

    // `batch` to `tp` was answered `error` and not appended.
    void failed(const topic_partition& tp, const batch_id& batch, error_code error);
    // The answer for `batch` when the log refused it as out of order: the
    // failure it was sent behind, if there is one.
    std::optional<error_code> behind_failure(const topic_partition& tp, const batch_id& batch) const;
    // A batch of `producer_id` to `tp` was appended (or found a duplicate): its pipeline runs again.
    void appended(const topic_partition& tp, int64_t producer_id) { failures_.erase({tp, producer_id}); }

private:
    struct failure {
        int16_t epoch;
        int32_t base_sequence;
        error_code error;
    };
    std::map<std::pair<topic_partition, int64_t>, failure> failures_;
};

} // namespace strata::kafka::server
