#include "strata/cluster/replica_placement.h"

#include <algorithm>
#include <map>
#include <set>

namespace strata::cluster {
namespace {

// One broker of each rack in turn (racks and their brokers in order), so that
// neighbours in the list are on different racks while racks last.
std::vector<placement_broker> alternate_racks(const std::vector<placement_broker>& brokers) {
    std::map<std::string, std::vector<placement_broker>> by_rack;
    for (const auto& b : brokers) by_rack[b.rack.value_or("")].push_back(b);
    for (auto& [rack, members] : by_rack)
        std::sort(members.begin(), members.end(), [](auto& a, auto& b) { return a.node_id < b.node_id; });
    std::vector<placement_broker> out;
    for (size_t round = 0; out.size() < brokers.size(); ++round)
        for (auto& [rack, members] : by_rack)
            if (round < members.size()) out.push_back(members[round]);
    return out;
}

// The broker index of a partition's `nth` follower: shifted from the leader
// by a per-round amount, never onto the leader itself.
size_t follower_index(size_t leader, size_t shift, size_t nth, size_t count) {
    size_t step = 1 + (shift + nth) % (count - 1);
    return (leader + step) % count;
}

} // namespace

result<std::vector<std::vector<int32_t>>, errc> place_replicas(std::vector<placement_broker> brokers,
                                                               int32_t partitions, int16_t replication_factor,
                                                               int32_t first_partition, uint32_t seed) {
    if (replication_factor < 1 || size_t(replication_factor) > brokers.size())
        return fail(errc::invalid_replication_factor);
    if (partitions < 0 || first_partition < 0) return fail(errc::invalid_partitions);
    const auto ordered = alternate_racks(brokers);
    const size_t count = ordered.size();
    std::set<std::string> all_racks;
    for (const auto& b : ordered) all_racks.insert(b.rack.value_or(""));
    const size_t racks = all_racks.size();

    const size_t start = seed % count;
    size_t shift = (seed / 7) % count;
    std::vector<std::vector<int32_t>> out;
    out.reserve(size_t(partitions));
    for (int32_t n = 0; n < partitions; ++n) {
        const size_t partition = size_t(first_partition + n);
        // Each full round of leaders moves the followers on by one more.
        if (partition > 0 && partition % count == 0) ++shift;
        const size_t leader = (partition + start) % count;
        std::vector<int32_t> replicas{ordered[leader].node_id};
        std::set<std::string> racks_used{ordered[leader].rack.value_or("")};
        std::set<int32_t> used{ordered[leader].node_id};
        for (size_t k = 0; replicas.size() < size_t(replication_factor); ++k) {
            // A multiple of the rack count keeps the step landing on other
            // racks; a broker is taken once its rack is new (or every rack
            // has a replica) and it has none itself.
            const auto& candidate = ordered[follower_index(leader, shift * racks, k, count)];
            const std::string rack = candidate.rack.value_or("");
            if ((racks_used.contains(rack) && racks_used.size() < racks) || used.contains(candidate.node_id))
                continue;
            replicas.push_back(candidate.node_id);
            racks_used.insert(rack);
            used.insert(candidate.node_id);
        }
        out.push_back(std::move(replicas));
    }
    return out;
}

} // namespace strata::cluster
