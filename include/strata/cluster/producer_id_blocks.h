#pragma once
// Producer ids are unique across a cluster: each broker reserves blocks of
// them in etcd (P/producer_id_block_end, the first id nobody has reserved)
// with a compare-and-swap, as Kafka's brokers ask the controller for blocks
// (AllocateProducerIds). Runs on the broker thread.

#include <cstdint>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "strata/base/result.h"
#include "strata/cluster/errc.h"
#include "strata/cluster/etcd/etcd_client.h"

namespace strata::cluster {

std::string producer_id_block_key(std::string_view prefix);

// The first id of a block of `size` ids that no other broker will ever use;
// metadata_unavailable when etcd does not answer or others keep winning.
boost::asio::awaitable<result<int64_t, errc>> reserve_producer_id_block(etcd::client& etcd, std::string prefix,
                                                                        int64_t size);

} // namespace strata::cluster
