#include "strata/cluster/reassignment_plan.h"

#include <algorithm>

namespace strata::cluster {
namespace {

bool contains(const std::vector<int32_t>& v, int32_t x) { return std::ranges::find(v, x) != v.end(); }

// The members of `from` that `keep` holds, in `from`'s order.
std::vector<int32_t> only(const std::vector<int32_t>& from, const std::vector<int32_t>& keep) {
    std::vector<int32_t> out;
    for (int32_t r : from)
        if (contains(keep, r)) out.push_back(r);
    return out;
}

std::vector<int32_t> except(const std::vector<int32_t>& from, const std::vector<int32_t>& drop) {
    std::vector<int32_t> out;
    for (int32_t r : from)
        if (!contains(drop, r)) out.push_back(r);
    return out;
}

// `next` led by a live in-sync member of its replicas, in replica order; false when none is.
bool lead_from_replicas(partition_assignment& next, const partition_assignment& now,
                        const std::map<int32_t, broker_endpoint>& live) {
    if (contains(next.replicas, now.leader) && live.contains(now.leader)) return true;
    for (int32_t r : next.replicas) {
        if (contains(next.isr, r) && live.contains(r)) {
            next.leader = r;
            next.leader_epoch = now.leader_epoch + 1;
            return true;
        }
    }
    return false;
}

} // namespace

std::vector<int32_t> original_replicas(const partition_assignment& now) { return except(now.replicas, now.adding); }

std::vector<int32_t> target_replicas(const partition_assignment& now) { return except(now.replicas, now.removing); }

partition_assignment start_reassignment(const partition_assignment& now, const std::vector<int32_t>& target) {
    const auto original = original_replicas(now);
    auto next = now;
    next.replicas = target;
    for (int32_t r : original)
        if (!contains(target, r)) next.replicas.push_back(r);
    next.adding = except(target, original);
    next.removing = except(original, target);
    // Replicas an earlier reassignment was adding, and this one drops, leave the ISR.
    next.isr = only(now.isr, next.replicas);
    return next;
}

std::optional<partition_assignment> complete_reassignment(const partition_assignment& now,
                                                          const std::map<int32_t, broker_endpoint>& live) {
    if (!now.reassigning()) return std::nullopt;
    const auto target = target_replicas(now);
    for (int32_t r : target)
        if (!contains(now.isr, r)) return std::nullopt;
    auto next = now;
    next.replicas = target;
    next.isr = only(now.isr, target);
    next.adding.clear();
    next.removing.clear();
    if (!lead_from_replicas(next, now, live)) return std::nullopt;
    return next;
}

std::optional<partition_assignment> cancel_reassignment(const partition_assignment& now,
                                                        const std::map<int32_t, broker_endpoint>& live) {
    if (!now.reassigning()) return std::nullopt;
    auto next = now;
    next.replicas = original_replicas(now);
    next.isr = only(now.isr, next.replicas);
    next.adding.clear();
    next.removing.clear();
    if (next.isr.empty() || !lead_from_replicas(next, now, live)) return std::nullopt;
    return next;
}

} // namespace strata::cluster
