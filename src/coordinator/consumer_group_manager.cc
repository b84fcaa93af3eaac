#include "strata/coordinator/consumer_group_manager.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "strata/kafka/protocol/uuid.h"

namespace strata::coordinator {

std::map<std::string, int32_t> consumer_group_manager::partition_counts() const {
    std::map<std::string, int32_t> out;
    for (const auto& [name, t] : topics_.topics())
        if (!t->internal()) out[name] = int32_t(t->partitions.size());
    return out;
}

consumer_heartbeat_result consumer_group_manager::heartbeat(const std::string& group_id, const consumer_heartbeat& hb,
                                                            int64_t now_ms) {
    auto it = groups_.find(group_id);
    if (it == groups_.end()) {
        if (hb.member_epoch != 0) {
            consumer_heartbeat_result out;
            out.member_id = hb.member_id;
            // Leaving a group that is gone is fine; anything else names a member it never had.
            if (hb.member_epoch >= 0) out.error = kafka::error_code::unknown_member_id;
            out.member_epoch = hb.member_epoch;
            return out;
        }
        it = groups_.emplace(group_id, consumer_group(group_id)).first;
    }
    // A group whose last member left stays, Empty, as in Kafka: it keeps its
    // type and epoch until it is deleted, converted or expired.
    const int32_t epoch = it->second.group_epoch();
    auto out = it->second.heartbeat(hb, partition_counts(), now_ms, kafka::uuid::random().to_base64());
    if (it->second.group_epoch() != epoch) epoch_changed(group_id, it->second.group_epoch());
    return out;
}

void consumer_group_manager::expire(int64_t now_ms) {
    for (auto& [id, g] : groups_) {
        const int32_t epoch = g.group_epoch();
        for (const auto& member : g.expire(now_ms, settings_.session_timeout_ms))
            spdlog::info("group {}: member {} session expired", id, member);
        for (const auto& member : g.fence_unrevoked(now_ms))
            spdlog::info("group {}: member {} fenced: it did not revoke its partitions within its rebalance timeout",
                         id, member);
        if (g.group_epoch() != epoch) epoch_changed(id, g.group_epoch());
    }
}

std::optional<kafka::error_code> consumer_group_manager::validate_offset_commit(
    const std::string& group, int32_t member_epoch, const std::string& member_id, const topic_partitions& partitions,
    int16_t api_version) const {
    auto it = groups_.find(group);
    if (it == groups_.end()) return std::nullopt;
    // A commit without a member epoch (admin tools, manual commits) is for empty groups.
    if (member_epoch < 0 && it->second.empty()) return kafka::error_code::none;
    const auto& members = it->second.members();
    auto m = members.find(member_id);
    if (m == members.end()) return kafka::error_code::unknown_member_id;
    // Older versions cannot carry a member epoch (Kafka's rule for consumer-protocol members).
    if (api_version < 9) return kafka::error_code::unsupported_version;
    // Any other epoch is stale, as in Kafka (a newer one too: it was never the member's).
    if (member_epoch > m->second.epoch) return kafka::error_code::stale_member_epoch;
    if (member_epoch == m->second.epoch) return kafka::error_code::none;
    auto owns = [&](const std::string& topic, int32_t p) {
        for (const auto* set : {&m->second.assigned, &m->second.pending_revocation}) {
            auto it = set->find(topic);
            if (it != set->end() && std::find(it->second.begin(), it->second.end(), p) != it->second.end())
                return true;
        }
        return false;
    };
    for (const auto& [topic, parts] : partitions)
        for (int32_t p : parts)
            if (!owns(topic, p)) return kafka::error_code::stale_member_epoch;
    return kafka::error_code::none;
}

bool consumer_group_manager::remove_empty(const std::string& group) {
    auto it = groups_.find(group);
    if (it == groups_.end() || !it->second.empty()) return false;
    groups_.erase(it);
    if (on_persist_) on_persist_(group, std::nullopt);
    return true;
}

void consumer_group_manager::epoch_changed(const std::string& group, int32_t epoch) {
    if (on_rebalance_) on_rebalance_(group);
    if (on_persist_) on_persist_(group, epoch);
}

void consumer_group_manager::restore(const std::string& group, std::optional<int32_t> epoch) {
    groups_.erase(group);
    if (epoch) groups_.emplace(group, consumer_group(group, *epoch));
}

const consumer_group* consumer_group_manager::find(const std::string& group) const {
    auto it = groups_.find(group);
    return it == groups_.end() ? nullptr : &it->second;
}

} // namespace strata::coordinator
