#pragma once
// Hands out producer ids for InitProducerId. Ids are reserved in blocks whose
// upper end is persisted before any id of the block is used, so a restart
// never reuses an id a producer may still hold. Broker thread only.

#include <cstdint>

#include "strata/cluster/metadata_store.h"

namespace strata::kafka::server {

class producer_id_allocator {
public:
    explicit producer_id_allocator(cluster::metadata_store& store) : store_(store) {}
    // -1 when the reservation could not be persisted.
    int64_t next();

private:
    static constexpr int64_t block_size = 1000;
    cluster::metadata_store& store_;
    int64_t next_ = 0;
    int64_t block_end_ = 0;
};

} // namespace strata::kafka::server
