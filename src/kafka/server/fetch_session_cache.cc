#include "strata/kafka/server/fetch_session_cache.h"

namespace strata::kafka::server {

session_partition* fetch_session::find(const std::string& topic, int32_t partition) {
    for (auto& p : partitions)
        if (p.partition == partition && p.topic == topic) return &p;
    return nullptr;
}

fetch_session& fetch_session_cache::create() {
    if (sessions_.size() >= max_sessions_) {
        sessions_.erase(lru_.back().id);
        lru_.pop_back();
    }
    int32_t id;
    do {
        // xorshift: ids need to be unique and non-zero, not secret.
        next_id_seed_ ^= next_id_seed_ << 13;
        next_id_seed_ ^= next_id_seed_ >> 17;
        next_id_seed_ ^= next_id_seed_ << 5;
        id = int32_t(next_id_seed_ & 0x7fffffff);
    } while (id == 0 || sessions_.contains(id));
    lru_.push_front(fetch_session{id, 1, {}});
    sessions_[id] = lru_.begin();
    return lru_.front();
}

fetch_session* fetch_session_cache::find(int32_t id) {
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return nullptr;
    lru_.splice(lru_.begin(), lru_, it->second);
    return &*it->second;
}

void fetch_session_cache::remove(int32_t id) {
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return;
    lru_.erase(it->second);
    sessions_.erase(it);
}

} // namespace strata::kafka::server
