#pragma once
// Waiting for a leader's append to be committed: for the high watermark of a
// replicated partition to pass it. acks=all produces and the coordinators'
// own writes (__consumer_offsets) wait the same way. Broker thread only.

#include <chrono>
#include <cstdint>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "strata/base/types.h"
#include "strata/cluster/topic_table.h"

namespace strata::cluster {

enum class commit_outcome {
    committed,   // the high watermark passed the append
    not_leader,  // leadership moved away, or the partition is gone
    timed_out,
};

// Until the high watermark of `tp` is above `last_offset` while this broker
// still leads it, or `deadline`. The partition is looked up again after every
// wait: the topic may have been deleted meanwhile.
boost::asio::awaitable<commit_outcome> wait_committed(boost::asio::any_io_executor ex, topic_table& topics,
                                                      topic_partition tp, int64_t last_offset,
                                                      std::chrono::steady_clock::time_point deadline);

} // namespace strata::cluster
