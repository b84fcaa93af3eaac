#pragma once
// Wall-clock milliseconds since the Unix epoch (record timestamps, retention).

#include "strata/base/wall_clock.h"

namespace strata::kafka::server {

using strata::wall_clock_ms;

} // namespace strata::kafka::server
