#include "strata/coordinator/assignor.h"

#include <algorithm>
#include <set>

namespace strata::coordinator {
namespace {

using partition_ref = std::pair<std::string, int32_t>;

bool subscribes(const member_subscription& m, const std::string& topic) {
    return std::find(m.topics.begin(), m.topics.end(), topic) != m.topics.end();
}

// Members in id order: the same input always gives the same assignment.
std::vector<const member_subscription*> by_id(const std::vector<member_subscription>& members) {
    std::vector<const member_subscription*> out;
    for (const auto& m : members) out.push_back(&m);
    std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->member_id < b->member_id; });
    return out;
}

} // namespace

group_assignment uniform_assignor::assign(const std::vector<member_subscription>& members,
                                          const std::map<std::string, int32_t>& partitions) const {
    auto sorted = by_id(members);
    std::map<std::string, std::set<partition_ref>> owned;  // member -> partitions
    std::map<partition_ref, std::string> owner;
    for (auto* m : sorted) owned[m->member_id];

    // Every partition some member subscribes to must be assigned.
    std::set<partition_ref> wanted;
    for (auto* m : sorted)
        for (const auto& t : m->topics)
            if (auto it = partitions.find(t); it != partitions.end())
                for (int32_t p = 0; p < it->second; ++p) wanted.insert({t, p});

    // 1. Stickiness: keep current ownership that is still valid.
    for (auto* m : sorted)
        for (const auto& [topic, parts] : m->current) {
            if (!subscribes(*m, topic)) continue;
            for (int32_t p : parts) {
                partition_ref ref{topic, p};
                if (!wanted.contains(ref) || owner.contains(ref)) continue;
                owner[ref] = m->member_id;
                owned[m->member_id].insert(ref);
            }
        }
    auto eligible = [&](const member_subscription& m, const partition_ref& ref) { return subscribes(m, ref.first); };
    // 2. Unowned partitions go to the eligible member with the fewest.
    for (const auto& ref : wanted) {
        if (owner.contains(ref)) continue;
        const member_subscription* best = nullptr;
        for (auto* m : sorted)
            if (eligible(*m, ref) && (!best || owned[m->member_id].size() < owned[best->member_id].size())) best = m;
        owner[ref] = best->member_id;
        owned[best->member_id].insert(ref);
    }
    // 3. Balance: move a partition from a member with at least two more than
    // an eligible receiver, until no such move exists. Each move lowers the
    // sum of squared counts, so this ends.
    for (bool moved = true; moved;) {
        moved = false;
        for (auto* from : sorted) {
            for (auto* to : sorted) {
                if (owned[from->member_id].size() < owned[to->member_id].size() + 2) continue;
                // Prefer the partition the giver took last in order: the highest.
                for (auto it = owned[from->member_id].rbegin(); it != owned[from->member_id].rend(); ++it) {
                    if (!eligible(*to, *it)) continue;
                    partition_ref ref = *it;
                    owned[from->member_id].erase(ref);
                    owned[to->member_id].insert(ref);
                    owner[ref] = to->member_id;
                    moved = true;
                    break;
                }
            }
        }
    }
    group_assignment out;
    for (auto* m : sorted) {
        auto& target = out[m->member_id];
        for (const auto& [topic, p] : owned[m->member_id]) target[topic].push_back(p);
    }
    return out;
}

group_assignment range_assignor::assign(const std::vector<member_subscription>& members,
                                        const std::map<std::string, int32_t>& partitions) const {
    auto sorted = by_id(members);
    group_assignment out;
    for (auto* m : sorted) out[m->member_id];
    std::set<std::string> topics;
    for (auto* m : sorted)
        for (const auto& t : m->topics)
            if (partitions.contains(t)) topics.insert(t);
    for (const auto& topic : topics) {
        std::vector<const member_subscription*> subscribers;
        for (auto* m : sorted)
            if (subscribes(*m, topic)) subscribers.push_back(m);
        const int32_t n = partitions.at(topic);
        const auto count = int32_t(subscribers.size());
        int32_t next = 0;
        for (int32_t i = 0; i < count; ++i) {
            int32_t share = n / count + (i < n % count ? 1 : 0);
            auto& list = out[subscribers[size_t(i)]->member_id][topic];
            for (int32_t k = 0; k < share; ++k) list.push_back(next++);
            if (list.empty()) out[subscribers[size_t(i)]->member_id].erase(topic);
        }
    }
    return out;
}

const partition_assignor* find_assignor(std::string_view name) {
    static const uniform_assignor uniform;
    static const range_assignor range;
    if (name == uniform.name()) return &uniform;
    if (name == range.name()) return &range;
    return nullptr;
}

} // namespace strata::coordinator
