#include "strata/coordinator/probe.h"

#include <prometheus/registry.h>

namespace strata::coordinator {

probe::probe(metrics::registry& reg)
    : commits_(prometheus::BuildCounter()
                   .Name("strata_group_offset_commits_total")
                   .Help("Offsets committed, by group")
                   .Register(reg.prom())),
      rebalances_(prometheus::BuildCounter()
                      .Name("strata_group_rebalances_total")
                      .Help("Rebalances, by group: classic generations and consumer-protocol group epochs")
                      .Register(reg.prom())),
      lag_(prometheus::BuildGauge()
               .Name("strata_group_lag")
               .Help("High watermark minus committed offset, by group and partition")
               .Register(reg.prom())),
      groups_(prometheus::BuildGauge()
                  .Name("strata_consumer_groups")
                  .Help("Consumer-protocol (KIP-848) groups, by state")
                  .Register(reg.prom())),
      classic_groups_(prometheus::BuildGauge()
                          .Name("strata_classic_groups")
                          .Help("Classic-protocol groups, by state")
                          .Register(reg.prom())),
      members_(prometheus::BuildGauge()
                   .Name("strata_group_members")
                   .Help("Members of a group, by group and type (classic or consumer, as ListGroups reports it)")
                   .Register(reg.prom())) {
    for (const char* state : {"Empty", "Assigning", "Reconciling", "Stable"})
        state_gauges_[state] = &groups_.Add({{"state", state}});
    for (auto s : {classic_state::empty, classic_state::preparing_rebalance, classic_state::completing_rebalance,
                   classic_state::stable}) {
        std::string state(to_string(s));
        classic_state_gauges_[state] = &classic_groups_.Add({{"state", state}});
    }
}

void probe::offsets_committed(const std::string& group, size_t count) {
    auto it = commit_counters_.find(group);
    if (it == commit_counters_.end()) it = commit_counters_.emplace(group, &commits_.Add({{"group", group}})).first;
    it->second->Increment(double(count));
}

void probe::rebalanced(const std::string& group) {
    auto it = rebalance_counters_.find(group);
    if (it == rebalance_counters_.end())
        it = rebalance_counters_.emplace(group, &rebalances_.Add({{"group", group}})).first;
    it->second->Increment();
}

void probe::refresh(const offset_store& offsets, const group_coordinator& classic_groups,
                    const consumer_group_manager& consumer_groups, cluster::topic_table& topics) {
    std::map<lag_key, prometheus::Gauge*> current;
    for (const auto& [group, by_topic] : offsets.all()) {
        for (const auto& [topic, parts] : by_topic) {
            for (const auto& [partition, committed] : parts) {
                auto* p = topics.find(topic_partition{topic, partition_id(partition)});
                if (!p || !p->has_log() || committed.offset < 0) continue;
                lag_key key{group, topic, partition};
                auto it = lag_gauges_.find(key);
                prometheus::Gauge* g = it != lag_gauges_.end()
                                           ? it->second
                                           : &lag_.Add({{"group", group},
                                                        {"topic", topic},
                                                        {"partition", std::to_string(partition)}});
                g->Set(double(std::max<int64_t>(0, p->high_watermark() - committed.offset)));
                current.emplace(key, g);
            }
        }
    }
    for (auto& [key, g] : lag_gauges_)
        if (!current.contains(key)) lag_.Remove(g);
    lag_gauges_ = std::move(current);

    std::map<member_key, prometheus::Gauge*> members;
    auto count_members = [&](const std::string& id, const char* type, size_t n) {
        member_key key{id, type};
        auto it = member_gauges_.find(key);
        auto* gauge = it != member_gauges_.end() ? it->second : &members_.Add({{"group", id}, {"type", type}});
        gauge->Set(double(n));
        members.emplace(std::move(key), gauge);
    };
    std::map<std::string, int> per_state;
    for (const auto& [id, g] : consumer_groups.groups()) {
        ++per_state[g.state()];
        count_members(id, "consumer", g.size());
    }
    std::map<std::string, int, std::less<>> classic_per_state;
    for (const auto& [id, g] : classic_groups.groups()) {
        if (g.is(classic_state::dead)) continue;
        ++classic_per_state[std::string(to_string(g.state()))];
        count_members(id, "classic", g.members().size());
    }
    // A group that is gone, or converted to the other protocol, loses its old series.
    for (auto& [key, g] : member_gauges_)
        if (!members.contains(key)) members_.Remove(g);
    member_gauges_ = std::move(members);
    for (auto& [state, gauge] : state_gauges_) gauge->Set(per_state[state]);
    for (auto& [state, gauge] : classic_state_gauges_) gauge->Set(classic_per_state[state]);
}

} // namespace strata::coordinator
