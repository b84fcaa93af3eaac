#include "strata/coordinator/consumer_group.h"

#include <algorithm>

namespace strata::coordinator {
namespace {

bool contains(const topic_partitions& tp, const std::string& topic, int32_t p) {
    auto it = tp.find(topic);
    return it != tp.end() && std::find(it->second.begin(), it->second.end(), p) != it->second.end();
}

void add(topic_partitions& tp, const std::string& topic, int32_t p) {
    auto& list = tp[topic];
    list.insert(std::upper_bound(list.begin(), list.end(), p), p);
}

// a \ b, dropping empty topics.
topic_partitions minus(const topic_partitions& a, const topic_partitions& b) {
    topic_partitions out;
    for (const auto& [topic, parts] : a)
        for (int32_t p : parts)
            if (!contains(b, topic, p)) add(out, topic, p);
    return out;
}

bool empty(const topic_partitions& tp) {
    for (const auto& [t, ps] : tp)
        if (!ps.empty()) return false;
    return true;
}

void remove_all(topic_partitions& from, const topic_partitions& what) {
    for (const auto& [topic, parts] : what) {
        auto it = from.find(topic);
        if (it == from.end()) continue;
        std::erase_if(it->second, [&](int32_t p) { return std::find(parts.begin(), parts.end(), p) != parts.end(); });
        if (it->second.empty()) from.erase(it);
    }
}

} // namespace

std::string consumer_group::state() const {
    if (members_.empty()) return "Empty";
    if (group_epoch_ > assignment_epoch_) return "Assigning";
    for (const auto& [id, m] : members_) {
        if (m.epoch == left_temporarily_epoch) continue;  // away, holding its partitions
        if (m.epoch != assignment_epoch_ || !coordinator::empty(m.pending_revocation)) return "Reconciling";
    }
    return "Stable";
}

bool consumer_group::owned_by_other(const std::string& member_id, const std::string& topic, int32_t p) const {
    for (const auto& [id, m] : members_)
        if (id != member_id && (contains(m.assigned, topic, p) || contains(m.pending_revocation, topic, p)))
            return true;
    return false;
}

void consumer_group::compute_target(const std::map<std::string, int32_t>& partitions) {
    std::vector<member_subscription> subs;
    std::string assignor_name = "uniform";
    for (const auto& [id, m] : members_) {
        if (subs.empty()) assignor_name = m.assignor;
        topic_partitions current = m.assigned;
        for (const auto& [t, ps] : m.pending_revocation)
            for (int32_t p : ps) add(current, t, p);
        subs.push_back({id, m.subscribed, std::move(current)});
    }
    const partition_assignor* assignor = find_assignor(assignor_name);
    if (!assignor) assignor = find_assignor("uniform");
    target_ = assignor->assign(subs, partitions);
    target_metadata_ = subscribed_metadata(partitions);
    assignment_epoch_ = group_epoch_;
}

std::map<std::string, int32_t> consumer_group::subscribed_metadata(
    const std::map<std::string, int32_t>& partitions) const {
    std::map<std::string, int32_t> out;
    for (const auto& [id, m] : members_)
        for (const auto& t : m.subscribed)
            if (auto it = partitions.find(t); it != partitions.end()) out[t] = it->second;
    return out;
}

void consumer_group::start_revocation_deadline(member& m, int64_t now_ms) const {
    // As in Kafka, the clock starts when the member is first asked to revoke
    // and runs until it has confirmed everything, however often it heartbeats.
    if (m.revocation_deadline_ms >= 0) return;
    const int32_t timeout = m.rebalance_timeout_ms >= 0 ? m.rebalance_timeout_ms : default_rebalance_timeout_ms;
    m.revocation_deadline_ms = now_ms + timeout;
}

bool consumer_group::revocation_overdue(const member& m, int64_t now_ms) const {
    return m.revocation_deadline_ms >= 0 && now_ms > m.revocation_deadline_ms;
}

bool consumer_group::reconcile(member& m, int64_t now_ms) {
    const topic_partitions& target = target_[m.id];
    // Revocation comes first: the member must give up what goes elsewhere
    // before anyone receives it, and before it moves to the new epoch.
    auto revoke = minus(m.assigned, target);
    if (!coordinator::empty(revoke)) {
        remove_all(m.assigned, revoke);
        for (const auto& [t, ps] : revoke)
            for (int32_t p : ps) add(m.pending_revocation, t, p);
        start_revocation_deadline(m, now_ms);
        return true;
    }
    if (!coordinator::empty(m.pending_revocation)) return false;  // waiting for the member to confirm
    bool changed = false;
    for (const auto& [topic, parts] : minus(target, m.assigned)) {
        for (int32_t p : parts) {
            // Still owned by another member that has not released it yet.
            if (owned_by_other(m.id, topic, p)) continue;
            add(m.assigned, topic, p);
            changed = true;
        }
    }
    if (m.epoch != assignment_epoch_) {
        m.epoch = assignment_epoch_;
        changed = true;
    }
    return changed;
}

consumer_heartbeat_result consumer_group::heartbeat(const consumer_heartbeat& hb,
                                                    const std::map<std::string, int32_t>& partitions,
                                                    int64_t now_ms, const std::string& new_member_id) {
    consumer_heartbeat_result out;
    out.member_id = hb.member_id;
    if (hb.member_epoch == -1 || hb.member_epoch == left_temporarily_epoch) {
        out.member_epoch = hb.member_epoch;
        auto it = members_.find(hb.member_id);
        if (hb.member_epoch == left_temporarily_epoch && it != members_.end() && it->second.instance_id) {
            // A static member leaving for a moment (a restart) keeps its place
            // and its partitions, which nobody else gets, until its session
            // times out or a member with its instance id takes them over: no
            // rebalance. Heartbeats under its old epoch are fenced meanwhile.
            it->second.epoch = left_temporarily_epoch;
            it->second.last_heartbeat_ms = now_ms;
            return out;
        }
        if (it != members_.end()) {
            members_.erase(it);
            bump_epoch();
        }
        return out;
    }
    member* m = nullptr;
    bool joined = false;
    if (hb.member_epoch == 0) {
        if (!hb.subscribed_topics) {
            out.error = kafka::error_code::invalid_request;
            return out;
        }
        if (hb.server_assignor && !find_assignor(*hb.server_assignor)) {
            out.error = kafka::error_code::unsupported_assignor;
            return out;
        }
        std::string id = hb.member_id.empty() ? new_member_id : hb.member_id;
        auto previous = members_.end();
        if (hb.instance_id) {
            for (auto it = members_.begin(); it != members_.end(); ++it)
                if (it->second.instance_id == hb.instance_id && it->first != id) previous = it;
            // As in Kafka, an instance id is taken over only from a member that
            // left temporarily; one still in use is refused.
            if (previous != members_.end() && previous->second.epoch != left_temporarily_epoch) {
                out.error = kafka::error_code::unreleased_instance_id;
                return out;
            }
        }
        members_.erase(id);  // a fenced member rejoining starts over
        if (previous != members_.end()) {
            // The static member is back under a new member id: it continues
            // where it left, with its partitions and its share of the target,
            // and the group does not rebalance unless its subscription changed.
            member back = std::move(previous->second);
            members_.erase(previous);
            if (auto t = target_.find(back.id); t != target_.end()) {
                auto share = std::move(t->second);
                target_.erase(t);
                target_[id] = std::move(share);
            }
            back.id = id;
            back.epoch = 0;
            m = &(members_[id] = std::move(back));
            if (m->subscribed != *hb.subscribed_topics) bump_epoch();
        } else {
            m = &members_[id];
            m->id = id;
            bump_epoch();
        }
        m->instance_id = hb.instance_id;
        m->subscribed = *hb.subscribed_topics;
        if (hb.server_assignor) m->assignor = *hb.server_assignor;
        joined = true;
        out.member_id = id;
    } else {
        auto it = members_.find(hb.member_id);
        if (it == members_.end()) {
            out.error = kafka::error_code::unknown_member_id;
            return out;
        }
        m = &it->second;
        if (revocation_overdue(*m, now_ms)) {
            // Past its rebalance timeout the member is out, as if the sweep
            // (fence_unrevoked) had run first; it rejoins with epoch 0.
            remove_members({hb.member_id});
            out.error = kafka::error_code::unknown_member_id;
            return out;
        }
        if (hb.member_epoch != m->epoch) {
            out.error = kafka::error_code::fenced_member_epoch;
            return out;
        }
        if (hb.subscribed_topics && *hb.subscribed_topics != m->subscribed) {
            m->subscribed = *hb.subscribed_topics;
            bump_epoch();
        }
        if (hb.server_assignor && *hb.server_assignor != m->assignor) {
            if (!find_assignor(*hb.server_assignor)) {
                out.error = kafka::error_code::unsupported_assignor;
                return out;
            }
            m->assignor = *hb.server_assignor;
            bump_epoch();
        }
    }
    m->last_heartbeat_ms = now_ms;
    m->client_id = hb.client_id;
    m->client_host = hb.client_host;
    if (hb.rack_id) m->rack_id = hb.rack_id;
    // An empty regex ends a regex subscription (the Java client sends one when it moves to topic names).
    if (hb.subscribed_regex) m->subscribed_regex = hb.subscribed_regex->empty() ? std::nullopt : hb.subscribed_regex;
    if (hb.rebalance_timeout_ms >= 0) m->rebalance_timeout_ms = hb.rebalance_timeout_ms;
    // The member confirms revocations by no longer reporting the partitions.
    if (hb.owned) {
        topic_partitions released = minus(m->pending_revocation, *hb.owned);
        remove_all(m->pending_revocation, released);
        if (coordinator::empty(m->pending_revocation)) m->revocation_deadline_ms = -1;
    }
    if (group_epoch_ == assignment_epoch_ && subscribed_metadata(partitions) != target_metadata_) bump_epoch();
    if (group_epoch_ > assignment_epoch_) compute_target(partitions);
    bool changed = reconcile(*m, now_ms) || joined;
    out.member_epoch = m->epoch;
    if (changed) out.assignment = m->assigned;
    return out;
}

std::vector<std::string> consumer_group::expire(int64_t now_ms, int64_t session_timeout_ms) {
    std::vector<std::string> gone;
    for (const auto& [id, m] : members_)
        if (now_ms - m.last_heartbeat_ms > session_timeout_ms) gone.push_back(id);
    remove_members(gone);
    return gone;
}

std::vector<std::string> consumer_group::fence_unrevoked(int64_t now_ms) {
    std::vector<std::string> gone;
    for (const auto& [id, m] : members_)
        if (revocation_overdue(m, now_ms)) gone.push_back(id);
    remove_members(gone);
    return gone;
}

void consumer_group::remove_members(const std::vector<std::string>& ids) {
    bool removed = false;
    for (const auto& id : ids) removed |= members_.erase(id) > 0;
    if (removed) bump_epoch();
}

} // namespace strata::coordinator
