#include "strata/kafka/server/producer_id_allocator.h"

#include <string>

namespace strata::kafka::server {

int64_t producer_id_allocator::reserve_locally() {
    int64_t start = 0;
    if (auto stored = store_.get("producer_id_block_end")) start = std::stoll(*stored);
    if (!store_.put("producer_id_block_end", std::to_string(start + block_size))) return -1;
    return start;
}

boost::asio::awaitable<int64_t> producer_id_allocator::next() {
    if (next_ >= block_end_) {
        const int64_t start = reserver_ ? co_await reserver_() : reserve_locally();
        if (start < 0) co_return -1;
        // Another request may have reserved a block meanwhile; the newer one
        // replaces it, whose unused ids are simply never handed out.
        next_ = start;
        block_end_ = start + block_size;
    }
    co_return next_++;
}

} // namespace strata::kafka::server
