#pragma once
// Wall-clock milliseconds since the Unix epoch (record timestamps, retention).

#include <chrono>
#include <cstdint>

namespace strata::kafka::server {

inline int64_t wall_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace strata::kafka::server
