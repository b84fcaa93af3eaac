// group_coordinator, continued: SyncGroup, Heartbeat, LeaveGroup, DeleteGroups
// and the checks OffsetCommit and OffsetDelete ask for. (The join phase and
// the timers are in group_coordinator.cc; split to keep files short.)
#include "strata/coordinator/group_coordinator.h"

#include <spdlog/spdlog.h>

namespace strata::coordinator {

using kafka::error_code;

// ---- SyncGroup ----

boost::asio::awaitable<sync_group_result> group_coordinator::sync(sync_group_args args) {
    std::shared_ptr<parked_reply<sync_group_result>> slot;
    auto immediate = start_sync(args, slot);
    if (!slot) co_return immediate;
    co_return co_await slot->wait();
}

sync_group_result group_coordinator::start_sync(sync_group_args& args,
                                                std::shared_ptr<parked_reply<sync_group_result>>& slot) {
    auto* g = find_mutable(args.group_id);
    if (!g) return {error_code::unknown_member_id, {}, {}, {}};
    if (g->is(classic_state::dead)) return {error_code::coordinator_not_available, {}, {}, {}};
    if (auto e = validate_member(*g, args.member_id, args.instance_id); e != error_code::none) return {e, {}, {}, {}};
    if (args.generation != g->generation()) return {error_code::illegal_generation, {}, {}, {}};
    if ((args.protocol_type && *args.protocol_type != g->protocol_type()) ||
        (args.protocol_name && *args.protocol_name != g->protocol_name()))
        return {error_code::inconsistent_group_protocol, {}, {}, {}};
    auto& m = *g->find(args.member_id);
    switch (g->state()) {
    case classic_state::preparing_rebalance: return {error_code::rebalance_in_progress, {}, {}, {}};
    case classic_state::stable:
        g->pending_sync().erase(m.id);
        arm_session(*g, m);
        return {error_code::none, g->protocol_type(), g->protocol_name(), m.assignment};
    case classic_state::completing_rebalance: break;
    default: return {error_code::unknown_member_id, {}, {}, {}};
    }
    // Followers wait for the leader's assignment.
    if (m.awaiting_sync) m.awaiting_sync->complete({error_code::rebalance_in_progress, {}, {}, {}});
    m.awaiting_sync = slot = std::make_shared<parked_reply<sync_group_result>>(ex_);
    g->pending_sync().erase(m.id);
    arm_session(*g, m);
    if (!g->is_leader(m.id)) return {};
    std::map<std::string, std::vector<uint8_t>> assigned;
    for (auto& [id, bytes] : args.assignments) assigned[id] = std::move(bytes);
    for (auto& [id, member] : g->members()) {
        auto it = assigned.find(id);
        member.assignment = it == assigned.end() ? std::vector<uint8_t>{} : std::move(it->second);
    }
    g->transition_to(classic_state::stable, coordinator_now_ms());
    spdlog::info("group {}: generation {} is stable", g->id(), g->generation());
    persist(*g);
    for (auto& [id, member] : g->members()) {
        if (!member.awaiting_sync) continue;
        member.awaiting_sync->complete({error_code::none, g->protocol_type(), g->protocol_name(), member.assignment});
        member.awaiting_sync.reset();
    }
    return {};
}

// ---- Heartbeat ----

error_code group_coordinator::heartbeat(const std::string& group, int32_t generation, const std::string& member_id,
                                        const std::optional<std::string>& instance_id) {
    auto* g = find_mutable(group);
    if (!g) return error_code::unknown_member_id;
    if (g->is(classic_state::dead)) return error_code::coordinator_not_available;
    if (auto e = validate_member(*g, member_id, instance_id); e != error_code::none) return e;
    if (generation != g->generation()) return error_code::illegal_generation;
    auto& m = *g->find(member_id);
    switch (g->state()) {
    case classic_state::preparing_rebalance:
        arm_session(*g, m);
        return error_code::rebalance_in_progress;
    case classic_state::completing_rebalance:
    case classic_state::stable:
        arm_session(*g, m);
        return error_code::none;
    default: return error_code::unknown_member_id;
    }
}

// ---- LeaveGroup ----

leave_group_result group_coordinator::leave(const std::string& group, const std::vector<leave_member>& members) {
    leave_group_result out;
    auto* g = find_mutable(group);
    if (!g) {
        out.error = error_code::unknown_member_id;
        return out;
    }
    if (g->is(classic_state::dead)) {
        out.error = error_code::coordinator_not_available;
        return out;
    }
    bool removed = false, pending_removed = false;
    for (const auto& lm : members) {
        std::string id = lm.member_id;
        error_code e = error_code::none;
        if (lm.instance_id) {
            // A static member may leave by instance id alone.
            const auto* current = g->static_member_id(*lm.instance_id);
            if (!current)
                e = error_code::unknown_member_id;
            else if (!id.empty() && *current != id)
                e = error_code::fenced_instance_id;
            else
                id = *current;
        } else if (g->pending_members().erase(id)) {
            pending_removed = true;
            out.members.push_back(error_code::none);
            continue;
        } else if (!g->has(id)) {
            e = error_code::unknown_member_id;
        }
        if (e == error_code::none) {
            spdlog::info("group {}: member {} left", g->id(), id);
            remove_member(*g, id, error_code::unknown_member_id);
            removed = true;
        }
        out.members.push_back(e);
    }
    if (removed)
        member_left(*g);
    else if (pending_removed)
        try_complete_join(*g);
    return out;
}

// ---- DeleteGroups, OffsetDelete, OffsetCommit ----

boost::asio::awaitable<error_code> group_coordinator::delete_group(const std::string& group) {
    auto* g = find_mutable(group);
    const bool has_offsets = offsets_.offsets_of(group) != nullptr;
    if ((!g || g->is(classic_state::dead)) && !has_offsets) co_return error_code::group_id_not_found;
    if (g && !g->is(classic_state::empty) && !g->is(classic_state::dead)) co_return error_code::non_empty_group;
    if (g && !co_await remove_empty_group(group)) co_return error_code::coordinator_not_available;
    if (has_offsets && !co_await offsets_.remove(group, {}, coordinator_now_ms()))
        co_return error_code::coordinator_not_available;
    spdlog::info("group {} deleted", group);
    co_return error_code::none;
}

boost::asio::awaitable<bool> group_coordinator::remove_empty_group(const std::string& group) {
    auto* g = find_mutable(group);
    if (!g || !(g->is(classic_state::empty) || g->is(classic_state::dead))) co_return false;
    // Pending members' timers find the group gone.
    groups_.erase(group);
    co_return co_await offsets_.append_group_record(group, std::nullopt, coordinator_now_ms());
}

error_code group_coordinator::validate_offset_delete(const std::string& group) const {
    const auto* g = find(group);
    if (!g || g->is(classic_state::dead)) {
        return offsets_.offsets_of(group) ? error_code::none : error_code::group_id_not_found;
    }
    if (g->is(classic_state::empty)) return error_code::none;
    // Only a consumer-protocol group says which topics it uses.
    if (!g->protocol_type() || *g->protocol_type() != "consumer") return error_code::non_empty_group;
    return error_code::none;
}

error_code group_coordinator::validate_offset_commit(const std::string& group, int32_t generation,
                                                     const std::string& member_id,
                                                     const std::optional<std::string>& instance_id,
                                                     int16_t api_version) const {
    const auto* g = find(group);
    if (!g) {
        // A simple commit (no group management) needs no group.
        if (generation < 0) return error_code::none;
        // Offsets without a group record: Kafka's "simple" group, empty, which
        // knows no member.
        if (offsets_.offsets_of(group)) return error_code::unknown_member_id;
        // A generation names a group that does not exist; v9 says so for both
        // protocols, older versions keep their ILLEGAL_GENERATION.
        return api_version >= 9 ? error_code::group_id_not_found : error_code::illegal_generation;
    }
    if (g->is(classic_state::dead)) return error_code::coordinator_not_available;
    if (generation < 0 && g->is(classic_state::empty)) return error_code::none;
    if (generation >= 0 || !member_id.empty() || instance_id) {
        if (auto e = validate_member(*g, member_id, instance_id); e != error_code::none) return e;
        if (generation != g->generation()) return error_code::illegal_generation;
    } else if (!g->is(classic_state::empty)) {
        // A commit without member and generation is only for groups without members.
        return error_code::unknown_member_id;
    }
    // The member has its generation's join response but not yet its assignment.
    if (g->is(classic_state::completing_rebalance)) return error_code::rebalance_in_progress;
    return error_code::none;
}

} // namespace strata::coordinator
