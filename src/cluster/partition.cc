#include "strata/cluster/partition.h"

namespace strata::cluster {

void partition::notify_append() {
    // Waiters hold the only strong reference; expired ones belong to fetches
    // that already timed out.
    for (auto& weak : fetch_waiters_)
        if (auto w = weak.lock()) w->wake();
    fetch_waiters_.clear();
}

} // namespace strata::cluster
