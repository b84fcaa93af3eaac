#include "strata/kafka/server/producer_id_allocator.h"

#include <string>

namespace strata::kafka::server {

int64_t producer_id_allocator::next() {
    if (next_ >= block_end_) {
        int64_t start = 0;
        if (auto stored = store_.get("producer_id_block_end")) start = std::stoll(*stored);
        if (!store_.put("producer_id_block_end", std::to_string(start + block_size))) return -1;
        next_ = start;
        block_end_ = start + block_size;
    }
    return next_++;
}

} // namespace strata::kafka::server
