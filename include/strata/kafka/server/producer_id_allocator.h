#pragma once
// Hands out producer ids for InitProducerId. Ids are reserved in blocks
// before any id of the block is used, so a restart never reuses an id a
// producer may still hold: a single broker keeps the upper end of its last
// block in its metadata store; in a cluster the block comes from etcd, so no
// two brokers hand out the same id. Broker thread only.

#include <cstdint>
#include <functional>

#include <boost/asio/awaitable.hpp>

#include "strata/cluster/metadata_store.h"

namespace strata::kafka::server {

class producer_id_allocator {
public:
    static constexpr int64_t block_size = 1000;
    // The first id of a newly reserved block of block_size ids; -1 when none could be reserved.
    using block_reserver = std::function<boost::asio::awaitable<int64_t>()>;

    explicit producer_id_allocator(cluster::metadata_store& store) : store_(store) {}
    // In a cluster: blocks come from there instead of the local store.
    void reserve_with(block_reserver r) { reserver_ = std::move(r); }
    // -1 when no block could be reserved.
    boost::asio::awaitable<int64_t> next();

private:
    int64_t reserve_locally();

    cluster::metadata_store& store_;
    block_reserver reserver_;
    int64_t next_ = 0;
    int64_t block_end_ = 0;
};

} // namespace strata::kafka::server
