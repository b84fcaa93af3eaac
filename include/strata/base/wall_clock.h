#pragma once
// Wall-clock milliseconds since the Unix epoch (record timestamps, retention,
// log creation times). Callable from any thread.

#include <chrono>
#include <cstdint>

namespace strata {

inline int64_t wall_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace strata
