#pragma once
// Producing a batch to the leader of a partition on another broker, as a
// client would (Produce, acks=all): how dead letters reach a dead-letter
// partition this broker does not lead. Broker thread.

#include <chrono>
#include <span>

#include <boost/asio/awaitable.hpp>

#include "strata/base/types.h"
#include "strata/kafka/protocol/errors.h"
#include "strata/kafka/server/server_context.h"

namespace strata::kafka::server {

// The leader's answer for `tp` (none when it acknowledged the batch), or
// NOT_LEADER_OR_FOLLOWER / REQUEST_TIMED_OUT when it could not be asked or
// did not answer by `deadline`.
boost::asio::awaitable<error_code> produce_to_leader(server_context& server, topic_partition tp,
                                                     std::span<uint8_t> batch,
                                                     std::chrono::steady_clock::time_point deadline);

} // namespace strata::kafka::server
