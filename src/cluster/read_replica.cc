#include "strata/cluster/read_replica.h"

namespace strata::cluster {
namespace {

bool in_rack(const broker_directory& brokers, int32_t node_id, std::string_view rack) {
    const auto* b = brokers.find(node_id);
    return b && b->rack && *b->rack == rack;
}

} // namespace

int32_t preferred_read_replica(const partition& p, const broker_directory& brokers, std::string_view client_rack,
                               int64_t fetch_offset) {
    if (client_rack.empty() || !p.is_leader() || in_rack(brokers, p.assignment().leader, client_rack)) return -1;
    int32_t best = -1;
    int64_t best_end = -1;
    for (const auto& [replica, progress] : p.followers()) {
        if (!p.in_isr(replica) || !in_rack(brokers, replica, client_rack)) continue;
        if (progress.log_end < fetch_offset) continue;
        if (progress.log_end > best_end || (progress.log_end == best_end && replica < best)) {
            best = replica;
            best_end = progress.log_end;
        }
    }
    return best;
}

} // namespace strata::cluster
