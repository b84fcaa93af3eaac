#include "strata/cluster/replication_controller.h"

#include <algorithm>
#include <map>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include "strata/cluster/reassignment_plan.h"
#include "strata/cluster/topic_records.h"

namespace strata::cluster {

namespace asio = boost::asio;

namespace {

bool contains(const std::vector<int32_t>& v, int32_t x) { return std::ranges::find(v, x) != v.end(); }

// Built outside coroutines: GCC 12 miscompiles braced lists inside them.
std::vector<etcd::compare> unchanged(std::string key, int64_t revision) {
    std::vector<etcd::compare> c;
    c.push_back(etcd::compare::unchanged_since(std::move(key), revision));
    return c;
}

std::vector<etcd::request_op> put(std::string key, std::string value) {
    std::vector<etcd::request_op> ops;
    ops.push_back(etcd::request_op::put(std::move(key), std::move(value)));
    return ops;
}

} // namespace

replication_controller::replication_controller(asio::any_io_executor executor, etcd::client& etcd,
                                               cluster_topic_state& state, topic_table& topics,
                                               const broker_directory& brokers, std::string prefix,
                                               int64_t replica_lag_time_max_ms)
    : executor_(std::move(executor)), etcd_(etcd), state_(state), topics_(topics), brokers_(brokers),
      prefix_(std::move(prefix)), lag_max_ms_(replica_lag_time_max_ms) {}

bool replication_controller::unclean_allowed(const std::string& topic) const {
    static const auto* def = topic_configs::find("unclean.leader.election.enable");
    auto* t = topics_.find(topic);
    return t && topic_configs::resolve(*def, t->configs, topics_.broker_props()).value == "true";
}

void replication_controller::maintain_isrs(int64_t now_ms) {
    const int32_t self = topics_.self();
    for (const auto& [name, t] : topics_.topics()) {
        for (const auto& p : t->partitions) {
            if (!p->is_leader() || !p->replicated()) continue;
            std::vector<int32_t> isr = p->assignment().isr;
            bool changed = false;
            for (const auto& [replica, progress] : p->followers()) {
                const bool in = contains(isr, replica);
                const bool lagging = now_ms - progress.caught_up_ms > lag_max_ms_;
                // Kafka's rule for joining: the follower has everything committed.
                const bool caught_up = progress.log_end >= p->high_watermark() && progress.log_end >= 0 &&
                                       now_ms - progress.caught_up_ms <= lag_max_ms_;
                if (in && lagging) {
                    std::erase(isr, replica);
                    changed = true;
                } else if (!in && caught_up) {
                    isr.push_back(replica);
                    changed = true;
                }
            }
            if (!changed) continue;
            const int32_t epoch = p->leader_epoch();
            change(t->id, p->id().partition(),
                   [self, epoch, isr](const records::partition_value& now) -> std::optional<records::partition_value> {
                       // Only the leader of this epoch changes its ISR.
                       if (now.leader != self || now.leader_epoch != epoch || now.isr == isr) return std::nullopt;
                       auto next = now;
                       next.isr = isr;
                       return next;
                   },
                   "ISR upkeep by the leader", isr.size() < p->assignment().isr.size() ? "shrink" : "expand");
        }
    }
}

void replication_controller::elect_leaders() {
    if (!brokers_.is_controller()) return;
    const auto& live = brokers_.live();
    for (const auto& [name, t] : state_.topics()) {
        const auto* parts = state_.partitions_of(t.value.id);
        if (!parts) continue;
        const bool unclean = unclean_allowed(name);
        for (const auto& [index, known] : *parts) {
            const auto& now = known.value;
            const bool leader_live = now.leader >= 0 && live.contains(now.leader);
            bool isr_has_dead = false;
            for (int32_t r : now.isr) isr_has_dead = isr_has_dead || !live.contains(r);
            if (leader_live && !isr_has_dead) continue;
            change(t.value.id, index,
                   [&live, unclean](const records::partition_value& now) -> std::optional<records::partition_value> {
                       auto next = now;
                       // Brokers that are gone leave the ISR, but never its last member:
                       // that one holds every committed record and must lead again.
                       std::vector<int32_t> live_isr;
                       for (int32_t r : now.isr)
                           if (live.contains(r)) live_isr.push_back(r);
                       next.isr = live_isr.empty() ? now.isr : live_isr;
                       if (now.leader < 0 || !live.contains(now.leader)) {
                           int32_t chosen = -1;
                           // The preferred order: replicas first to last, as Kafka elects.
                           for (int32_t r : now.replicas)
                               if (chosen < 0 && contains(live_isr, r)) chosen = r;
                           if (chosen < 0 && unclean)
                               for (int32_t r : now.replicas)
                                   if (chosen < 0 && live.contains(r)) chosen = r;
                           if (chosen >= 0 && !contains(next.isr, chosen)) next.isr = {chosen};
                           if (chosen != now.leader) {
                               next.leader = chosen;
                               if (chosen >= 0) next.leader_epoch = now.leader_epoch + 1;
                           }
                       }
                       if (next == now) return std::nullopt;
                       return next;
                   },
                   "election by the controller", "election");
        }
    }
}

void replication_controller::rebalance_preferred_leaders(int32_t imbalance_percentage) {
    if (!brokers_.is_controller()) return;
    const auto& live = brokers_.live();
    struct preference {
        int total = 0;
        std::vector<std::pair<kafka::uuid, int32_t>> elsewhere;  // led by another broker
    };
    std::map<int32_t, preference> by_broker;
    for (const auto& [name, t] : state_.topics()) {
        const auto* parts = state_.partitions_of(t.value.id);
        if (!parts) continue;
        for (const auto& [index, known] : *parts) {
            const auto& now = known.value;
            if (now.replicas.empty()) continue;
            auto& pref = by_broker[now.replicas.front()];
            ++pref.total;
            if (now.leader != now.replicas.front()) pref.elsewhere.emplace_back(t.value.id, index);
        }
    }
    for (const auto& [broker, pref] : by_broker) {
        if (!live.contains(broker) || pref.elsewhere.empty()) continue;
        if (int64_t(pref.elsewhere.size()) * 100 <= int64_t(pref.total) * imbalance_percentage) continue;
        for (const auto& [id, index] : pref.elsewhere) {
            change(id, index,
                   [broker](const records::partition_value& now) -> std::optional<records::partition_value> {
                       // Only to an in-sync preferred replica: it has every committed record.
                       if (now.replicas.empty() || now.replicas.front() != broker || now.leader == broker ||
                           !contains(now.isr, broker))
                           return std::nullopt;
                       auto next = now;
                       next.leader = broker;
                       next.leader_epoch = now.leader_epoch + 1;
                       return next;
                   },
                   "preferred leader rebalancing", "preferred");
        }
    }
}

asio::awaitable<replication_controller::election> replication_controller::elect(std::string topic, int32_t partition,
                                                                                 bool preferred,
                                                                                 std::chrono::milliseconds timeout) {
    kafka::uuid id;
    const auto* known = find_partition(topic, partition, id);
    if (!known) co_return election::unknown_partition;
    const auto now = known->value;
    const int64_t read_at = known->mod_revision;
    const auto& live = brokers_.live();
    int32_t chosen = -1;
    if (preferred) {
        if (now.replicas.empty() || now.leader == now.replicas.front()) co_return election::not_needed;
        const int32_t pref = now.replicas.front();
        if (!live.contains(pref) || !contains(now.isr, pref)) co_return election::no_eligible_leader;
        chosen = pref;
    } else {
        if (now.leader >= 0 && live.contains(now.leader)) co_return election::not_needed;
        for (int32_t r : now.replicas)
            if (chosen < 0 && contains(now.isr, r) && live.contains(r)) chosen = r;
        for (int32_t r : now.replicas)
            if (chosen < 0 && live.contains(r)) chosen = r;
        if (chosen < 0) co_return election::no_eligible_leader;
    }
    auto next = now;
    next.leader = chosen;
    next.leader_epoch = now.leader_epoch + 1;
    if (!contains(next.isr, chosen)) next.isr.assign(1, chosen);
    if (!co_await write_and_wait(id, partition, read_at, next, timeout)) co_return election::failed;
    if (observer_) observer_(preferred ? "preferred" : "election");
    spdlog::info("{} election requested: {} partition {} leader {} (epoch {})", preferred ? "preferred" : "unclean",
                 topic, partition, chosen, next.leader_epoch);
    co_return election::elected;
}

asio::awaitable<replication_controller::reassignment> replication_controller::reassign(
    std::string topic, int32_t partition, std::optional<std::vector<int32_t>> target,
    bool allow_replication_factor_change, std::chrono::milliseconds timeout) {
    kafka::uuid id;
    const auto* known = find_partition(topic, partition, id);
    if (!known) co_return reassignment::unknown_partition;
    const auto now = known->value;
    const int64_t read_at = known->mod_revision;
    const auto& live = brokers_.live();
    std::optional<records::partition_value> next;
    if (!target) {
        if (!now.reassigning()) co_return reassignment::no_reassignment;
        next = cancel_reassignment(now, live);
        if (!next) co_return reassignment::failed;
    } else {
        std::vector<int32_t> sorted = *target;
        std::ranges::sort(sorted);
        if (target->empty() || std::ranges::adjacent_find(sorted) != sorted.end())
            co_return reassignment::invalid_replicas;
        for (int32_t r : *target)
            if (!live.contains(r)) co_return reassignment::invalid_replicas;
        if (!allow_replication_factor_change && target->size() != original_replicas(now).size())
            co_return reassignment::replication_factor_change;
        next = start_reassignment(now, *target);
        // Nothing to add (only removals, or the replicas it has): done at once.
        if (auto done = complete_reassignment(*next, live)) next = std::move(done);
        if (*next == now) co_return reassignment::accepted;
    }
    if (!co_await write_and_wait(id, partition, read_at, *next, timeout)) co_return reassignment::failed;
    if (observer_) observer_("reassignment");
    spdlog::info("reassignment {}: {} partition {} replicas {} (adding {}, removing {})",
                 target ? "requested" : "cancelled", topic, partition, fmt::join(next->replicas, ","),
                 fmt::join(next->adding, ","), fmt::join(next->removing, ","));
    co_return reassignment::accepted;
}

const cluster_topic_state::known_partition* replication_controller::find_partition(const std::string& topic,
                                                                                   int32_t partition,
                                                                                   kafka::uuid& id) const {
    const auto* t = state_.find(topic);
    const auto* parts = t ? state_.partitions_of(t->value.id) : nullptr;
    if (!parts) return nullptr;
    auto it = parts->find(partition);
    if (it == parts->end()) return nullptr;
    id = t->value.id;
    return &it->second;
}

asio::awaitable<bool> replication_controller::write_and_wait(kafka::uuid id, int32_t partition, int64_t read_at,
                                                             records::partition_value next,
                                                             std::chrono::milliseconds timeout) {
    next.partition_epoch += 1;
    const auto key = records::partition_key(prefix_, id, partition);
    auto r = co_await etcd_.txn(unchanged(key, read_at), put(key, records::encode_partition(next)));
    if (!r || !r->succeeded) co_return false;
    // Answered once this broker's Metadata shows it, as the tools then check.
    (void)co_await state_.wait_applied(r->revision, timeout);
    co_return true;
}

void replication_controller::rejoin() {
    const int32_t self = topics_.self();
    for (const auto& [name, t] : topics_.topics()) {
        for (const auto& p : t->partitions) {
            if (!p->has_log()) continue;
            const auto& a = p->assignment();
            if (a.leader == self || !contains(a.isr, self) || a.isr.size() < 2) continue;
            change(t->id, p->id().partition(),
                   [self](const records::partition_value& now) -> std::optional<records::partition_value> {
                       if (now.leader == self || !contains(now.isr, self) || now.isr.size() < 2) return std::nullopt;
                       auto next = now;
                       std::erase(next.isr, self);
                       return next;
                   },
                   "restarted follower leaves the ISR until it catches up", "shrink");
        }
    }
    reclaim_fenced_leaderships();
}

void replication_controller::reclaim_fenced_leaderships() {
    const int32_t self = topics_.self();
    const auto& live = brokers_.live();
    for (const auto& [name, t] : topics_.topics()) {
        for (const auto& p : t->partitions) {
            if (!p->fenced()) continue;
            const int32_t fenced_epoch = p->assignment().leader_epoch;
            change(t->id, p->id().partition(),
                   [self, fenced_epoch, &live](const records::partition_value& now) -> std::optional<records::partition_value> {
                       if (now.leader != self || now.leader_epoch != fenced_epoch) return std::nullopt;
                       auto next = now;
                       next.leader_epoch = now.leader_epoch + 1;
                       for (int32_t r : now.replicas) {
                           if (r != self && contains(now.isr, r) && live.contains(r)) {
                               next.leader = r;
                               std::erase(next.isr, self);
                               return next;
                           }
                       }
                       // The only in-sync replica leads again, from a new epoch;
                       // otherwise it waits for another in-sync replica to be live.
                       if (now.isr.size() == 1 && now.isr.front() == self) return next;
                       return std::nullopt;
                   },
                   "restarted broker gives up its old leadership", "handover");
        }
    }
}

void replication_controller::complete_reassignments() {
    if (!brokers_.is_controller()) return;
    const auto& live = brokers_.live();
    for (const auto& [name, t] : state_.topics()) {
        const auto* parts = state_.partitions_of(t.value.id);
        if (!parts) continue;
        for (const auto& [index, known] : *parts) {
            if (!known.value.reassigning()) continue;
            change(t.value.id, index,
                   [&live](const records::partition_value& now) { return complete_reassignment(now, live); },
                   "reassignment completed by the controller", "reassignment");
        }
    }
}

asio::awaitable<void> replication_controller::resign_leaderships(std::chrono::milliseconds timeout) {
    const int32_t self = topics_.self();
    const auto& live = brokers_.live();
    for (const auto& [name, t] : topics_.topics()) {
        for (const auto& p : t->partitions) {
            if (!p->is_leader() || !p->replicated()) continue;
            change(t->id, p->id().partition(),
                   [self, &live](const records::partition_value& now) -> std::optional<records::partition_value> {
                       if (now.leader != self) return std::nullopt;
                       int32_t successor = -1;
                       for (int32_t r : now.replicas)
                           if (successor < 0 && r != self && contains(now.isr, r) && live.contains(r)) successor = r;
                       // Nobody else in sync: staying leader until the end loses nothing.
                       if (successor < 0) return std::nullopt;
                       auto next = now;
                       next.leader = successor;
                       next.leader_epoch = now.leader_epoch + 1;
                       std::erase(next.isr, self);
                       return next;
                   },
                   "controlled shutdown", "handover");
        }
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    asio::steady_timer timer(executor_);
    while (!in_flight_.empty() && std::chrono::steady_clock::now() < deadline) {
        timer.expires_after(std::chrono::milliseconds(20));
        boost::system::error_code ignored;
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    }
}

void replication_controller::change(const kafka::uuid& id, int32_t partition, change_fn change, std::string why,
                                    const char* kind) {
    const auto key = std::pair{id, partition};
    if (in_flight_.contains(key)) return;
    const auto* parts = state_.partitions_of(id);
    if (!parts) return;
    auto it = parts->find(partition);
    if (it == parts->end()) return;
    auto next = change(it->second.value);
    if (!next) return;
    next->partition_epoch = it->second.value.partition_epoch + 1;
    in_flight_.insert(key);
    asio::co_spawn(executor_, write(id, partition, std::move(*next), it->second.mod_revision, std::move(why), kind),
                   asio::detached);
}

asio::awaitable<void> replication_controller::write(kafka::uuid id, int32_t partition, records::partition_value next,
                                                    int64_t read_at, std::string why, const char* kind) {
    const auto key = records::partition_key(prefix_, id, partition);
    auto r = co_await etcd_.txn(unchanged(key, read_at), put(key, records::encode_partition(next)));
    in_flight_.erase(std::pair{id, partition});
    if (!r) {
        spdlog::warn("{}: cannot write partition state to etcd ({})", why, etcd::to_string(r.error()));
        co_return;
    }
    // A lost compare means someone changed it first; the next tick looks again.
    if (!r->succeeded) co_return;
    if (observer_) observer_(kind);
    spdlog::info("{}: {} partition {} leader {} (epoch {}), ISR size {}", why, records::uuid_hex(id), partition,
                 next.leader, next.leader_epoch, next.isr.size());
}

} // namespace strata::cluster
