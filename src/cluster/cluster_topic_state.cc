#include "strata/cluster/cluster_topic_state.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "strata/base/wall_clock.h"

namespace strata::cluster {

cluster_topic_state::cluster_topic_state(boost::asio::any_io_executor executor, topic_table& topics,
                                         std::string prefix)
    : executor_(std::move(executor)), table_(topics), prefix_(std::move(prefix)) {}

void cluster_topic_state::load(const std::vector<etcd::key_value>& kvs, int64_t revision) {
    std::map<std::string, known_topic> topics;
    std::map<kafka::uuid, partition_map> partitions;
    for (const auto& kv : kvs) {
        if (auto name = records::topic_name_of(prefix_, kv.key)) {
            if (auto t = records::decode_topic(kv.value))
                topics[*name] = known_topic{std::move(*t), kv.mod_revision};
            else
                spdlog::warn("ignoring topic record {} that cannot be read", kv.key);
        } else if (auto p = records::partition_of(prefix_, kv.key)) {
            if (auto v = records::decode_partition(kv.value))
                partitions[p->first][p->second] = known_partition{std::move(*v), kv.mod_revision};
        }
    }
    // Topics gone while the watch was broken go now.
    std::vector<std::string> gone;
    for (const auto& [name, t] : table_.topics())
        if (!topics.contains(name)) gone.push_back(name);
    for (const auto& name : gone) table_.remove_topic(name);
    topics_ = std::move(topics);
    partitions_ = std::move(partitions);
    names_.clear();
    for (const auto& [name, t] : topics_) names_[t.value.id] = name;
    for (const auto& [name, t] : topics_) reconcile(name);
    // This broker's first view after (re)joining: what etcd says it leads was
    // led by its previous run, and is fenced before anyone is served
    // (partition::fence_leadership); the replication controller hands it over.
    if (applied_revision_ == 0)
        for (const auto& [name, t] : table_.topics())
            for (auto& p : t->partitions)
                if (p->has_log() && p->assignment().leader == table_.self()) p->fence_leadership();
    advance(revision);
    if (on_change_) on_change_();
}

void cluster_topic_state::apply(const etcd::watch_event& e) {
    if (auto name = records::topic_name_of(prefix_, e.kv.key)) {
        if (e.type == etcd::event_type::erase) {
            if (auto it = topics_.find(*name); it != topics_.end()) {
                names_.erase(it->second.value.id);
                topics_.erase(it);
            }
            table_.remove_topic(*name);
        } else if (auto t = records::decode_topic(e.kv.value)) {
            if (auto it = topics_.find(*name); it != topics_.end() && it->second.value.id != t->id)
                names_.erase(it->second.value.id);
            names_[t->id] = *name;
            topics_[*name] = known_topic{std::move(*t), e.kv.mod_revision};
            reconcile(*name);
        } else {
            spdlog::warn("ignoring topic record {} that cannot be read", e.kv.key);
        }
    } else if (auto p = records::partition_of(prefix_, e.kv.key)) {
        if (e.type == etcd::event_type::erase) {
            if (auto it = partitions_.find(p->first); it != partitions_.end()) {
                it->second.erase(p->second);
                if (it->second.empty()) partitions_.erase(it);
            }
        } else if (auto v = records::decode_partition(e.kv.value)) {
            partitions_[p->first][p->second] = known_partition{std::move(*v), e.kv.mod_revision};
            // Partitions are written before the topic record that counts
            // them: a new partition's topic picks it up then.
            if (auto n = names_.find(p->first); n != names_.end()) reconcile(n->second);
        }
    }
    advance(e.kv.mod_revision);
    if (on_change_) on_change_();
}

void cluster_topic_state::reconcile(const std::string& name) {
    const auto& t = topics_.at(name).value;
    std::vector<partition_assignment> assignments;
    assignments.reserve(size_t(t.partitions));
    const auto* known = partitions_of(t.id);
    for (int32_t p = 0; p < t.partitions; ++p) {
        if (known) {
            if (auto it = known->find(p); it != known->end()) {
                assignments.push_back(it->second.value);
                continue;
            }
        }
        // A partition counted but not written: nobody leads it.
        spdlog::warn("topic {} partition {} has no assignment in etcd", name, p);
        assignments.emplace_back();
    }
    table_.apply_topic(name, t.id, t.configs, std::move(assignments), wall_clock_ms());
}

const cluster_topic_state::known_topic* cluster_topic_state::find(const std::string& name) const {
    auto it = topics_.find(name);
    return it == topics_.end() ? nullptr : &it->second;
}

const cluster_topic_state::partition_map* cluster_topic_state::partitions_of(const kafka::uuid& id) const {
    auto it = partitions_.find(id);
    return it == partitions_.end() ? nullptr : &it->second;
}

void cluster_topic_state::advance(int64_t revision) {
    if (revision <= applied_revision_) return;
    applied_revision_ = revision;
    std::erase_if(revision_waiters_, [&](const auto& entry) {
        auto w = entry.second.lock();
        if (!w) return true;
        if (entry.first > applied_revision_) return false;
        w->wake();
        return true;
    });
}

boost::asio::awaitable<bool> cluster_topic_state::wait_applied(int64_t revision, std::chrono::milliseconds timeout) {
    if (applied_revision_ >= revision) co_return true;
    auto w = std::make_shared<waiter>(executor_);
    w->timer.expires_after(timeout);
    revision_waiters_.emplace_back(revision, w);
    boost::system::error_code ignored;
    co_await w->timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
    co_return applied_revision_ >= revision;
}

} // namespace strata::cluster
