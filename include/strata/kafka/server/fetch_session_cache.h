#pragma once
// Incremental fetch sessions (KIP-227). A client that opens a session sends
// its full partition list once; later fetches name only what changed, and the
// broker answers only partitions with new data or changed metadata. Sessions
// are evicted least-recently-used beyond `max.incremental.fetch.session.cache.slots`.
// Broker thread only.

#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>
#include <vector>

#include "strata/kafka/protocol/uuid.h"

namespace strata::kafka::server {

struct session_partition {
    std::string topic;
    uuid topic_id;
    int32_t partition = 0;
    int64_t fetch_offset = 0;
    int32_t max_bytes = 0;
    // What the last response told the client, to decide what an incremental
    // response must include.
    int64_t sent_high_watermark = -1;
    int64_t sent_log_start_offset = -1;
    int16_t sent_error = 0;
};

struct fetch_session {
    int32_t id = 0;
    // The epoch the client must send next.
    int32_t next_epoch = 1;
    std::vector<session_partition> partitions;

    session_partition* find(const std::string& topic, int32_t partition);
};

class fetch_session_cache {
public:
    explicit fetch_session_cache(size_t max_sessions = 1000) : max_sessions_(max_sessions) {}

    fetch_session& create();
    // Marks the session recently used.
    fetch_session* find(int32_t id);
    void remove(int32_t id);
    size_t size() const { return sessions_.size(); }

private:
    size_t max_sessions_;
    std::list<fetch_session> lru_;  // front: most recently used
    std::unordered_map<int32_t, std::list<fetch_session>::iterator> sessions_;
    uint32_t next_id_seed_ = 0x2545F491;
};

} // namespace strata::kafka::server
