#include "strata/coordinator/group_coordinator.h"

#include <algorithm>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace strata::coordinator {
namespace {

using kafka::error_code;
using std::chrono::milliseconds;

bool same_protocols(const std::vector<join_protocol>& a, const std::vector<join_protocol>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (a[i].name != b[i].name || a[i].metadata != b[i].metadata) return false;
    return true;
}

} // namespace

int64_t coordinator_now_ms() {
    return std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

group_coordinator::group_coordinator(boost::asio::any_io_executor ex, offset_store& offsets,
                                     classic_group_settings settings)
    : ex_(std::move(ex)), offsets_(offsets), settings_(settings), random_(std::random_device{}()) {}

group_coordinator::~group_coordinator() = default;

classic_group* group_coordinator::find_mutable(const std::string& group) {
    auto it = groups_.find(group);
    return it == groups_.end() ? nullptr : &it->second;
}

const classic_group* group_coordinator::find(const std::string& group) const {
    auto it = groups_.find(group);
    return it == groups_.end() ? nullptr : &it->second;
}

std::string group_coordinator::new_member_id(const std::string& client_id) {
    // Kafka's form: the client id, a dash and a random UUID.
    const uint64_t hi = random_(), lo = random_();
    return fmt::format("{}-{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", client_id, uint32_t(hi >> 32),
                       uint16_t(hi >> 16), uint16_t((hi & 0x0fff) | 0x4000), uint16_t((lo >> 48 & 0x3fff) | 0x8000),
                       lo & 0xffffffffffffULL);
}

join_group_result group_coordinator::join_error(error_code e, const std::string& member_id) const {
    join_group_result r;
    r.error = e;
    r.member_id = member_id;
    return r;
}

group_coordinator::join_slot group_coordinator::ready(join_group_result r) const {
    auto slot = std::make_shared<parked_reply<join_group_result>>(ex_);
    slot->complete(std::move(r));
    return slot;
}

error_code group_coordinator::validate_member(const classic_group& g, const std::string& member_id,
                                              const std::optional<std::string>& instance_id) const {
    if (instance_id) {
        const auto* current = g.static_member_id(*instance_id);
        if (!current) return error_code::unknown_member_id;
        if (*current != member_id) return error_code::fenced_instance_id;
    }
    return g.has(member_id) ? error_code::none : error_code::unknown_member_id;
}

// ---- JoinGroup ----

boost::asio::awaitable<join_group_result> group_coordinator::join(join_group_args args) {
    auto slot = start_join(args);
    co_return co_await slot->wait();
}

group_coordinator::join_slot group_coordinator::start_join(join_group_args& args) {
    if (args.group_id.empty()) return ready(join_error(error_code::invalid_group_id, args.member_id));
    if (args.session_timeout_ms < settings_.min_session_timeout_ms ||
        args.session_timeout_ms > settings_.max_session_timeout_ms)
        return ready(join_error(error_code::invalid_session_timeout, args.member_id));
    if (args.rebalance_timeout_ms < 0) args.rebalance_timeout_ms = args.session_timeout_ms;
    auto* g = find_mutable(args.group_id);
    bool created = false;
    if (!g) {
        // Only a first join (no member id) creates a group.
        if (!args.member_id.empty()) return ready(join_error(error_code::unknown_member_id, args.member_id));
        g = &groups_.emplace(args.group_id, classic_group(args.group_id)).first->second;
        created = true;
    }
    join_slot slot;
    if (g->is(classic_state::dead))
        slot = ready(join_error(error_code::coordinator_not_available, args.member_id));
    else if (args.member_id.empty())
        slot = join_new_member(*g, args);
    else
        slot = join_known_member(*g, args);
    // A group created by a join that was refused is not kept.
    if (created && g->members().empty() && g->pending_members().empty()) groups_.erase(args.group_id);
    return slot;
}

group_coordinator::join_slot group_coordinator::join_new_member(classic_group& g, join_group_args& args) {
    if (!g.supports(args.protocol_type, args.protocols))
        return ready(join_error(error_code::inconsistent_group_protocol));
    if (args.instance_id) {
        if (const auto* old = g.static_member_id(*args.instance_id)) {
            std::string old_id = *old;
            return replace_static_member(g, args, old_id);
        }
    }
    if (g.members().size() >= size_t(settings_.max_size)) return ready(join_error(error_code::group_max_size_reached));
    auto id = new_member_id(args.client_id);
    if (!args.instance_id && args.version >= 4) {
        // KIP-394: the member must come back with this id, so a client that
        // retries a lost response does not leave a ghost member behind.
        arm_pending(g, id, args.session_timeout_ms);
        return ready(join_error(error_code::member_id_required, id));
    }
    args.member_id = id;
    return add_and_park(g, args);
}

group_coordinator::join_slot group_coordinator::join_known_member(classic_group& g, join_group_args& args) {
    if (auto pending = g.pending_members().find(args.member_id); pending != g.pending_members().end()) {
        if (!g.supports(args.protocol_type, args.protocols))
            return ready(join_error(error_code::inconsistent_group_protocol, args.member_id));
        if (g.members().size() >= size_t(settings_.max_size))
            return ready(join_error(error_code::group_max_size_reached, args.member_id));
        g.pending_members().erase(pending);
        return add_and_park(g, args);
    }
    if (auto e = validate_member(g, args.member_id, args.instance_id); e != error_code::none)
        return ready(join_error(e, args.member_id));
    if (!g.supports(args.protocol_type, args.protocols))
        return ready(join_error(error_code::inconsistent_group_protocol, args.member_id));
    auto& m = *g.find(args.member_id);
    const bool changed = !same_protocols(m.protocols, args.protocols);
    switch (g.state()) {
    case classic_state::preparing_rebalance: {
        auto slot = park_join(m, args);
        try_complete_join(g);
        return slot;
    }
    case classic_state::completing_rebalance:
    case classic_state::stable:
        // A follower repeating its join gets the current generation; the
        // leader, or a member whose subscription changed, starts a rebalance.
        if (!changed && (g.is(classic_state::completing_rebalance) || !g.is_leader(m.id))) {
            arm_session(g, m);
            return ready(current_join_response(g, m));
        } else {
            auto slot = park_join(m, args);
            prepare_rebalance(g, g.is_leader(m.id) ? "the leader rejoined" : "a member's metadata changed");
            return slot;
        }
    default:
        return ready(join_error(error_code::unknown_member_id, args.member_id));
    }
}

group_coordinator::join_slot group_coordinator::replace_static_member(classic_group& g, join_group_args& args,
                                                                      const std::string& old_id) {
    auto* old = g.find(old_id);
    // The old incarnation of this instance is fenced.
    if (old->awaiting_join) old->awaiting_join->complete(join_error(error_code::fenced_instance_id, old_id));
    old->awaiting_join.reset();
    if (old->awaiting_sync) old->awaiting_sync->complete({error_code::fenced_instance_id, {}, {}, {}});
    old->awaiting_sync.reset();
    auto new_id = new_member_id(args.client_id);
    auto& m = g.replace_id(old_id, new_id);
    args.member_id = new_id;
    spdlog::info("group {}: static member {} rejoined as {} (was {})", g.id(), *args.instance_id, new_id, old_id);
    if (g.is(classic_state::stable)) {
        m.protocols = args.protocols;
        m.client_id = args.client_id;
        m.client_host = args.client_host;
        m.session_timeout_ms = args.session_timeout_ms;
        m.rebalance_timeout_ms = args.rebalance_timeout_ms;
        // As in Kafka: no rebalance unless the group's protocol would change.
        if (g.select_protocol() == g.protocol_name().value_or("")) {
            arm_session(g, m);
            persist(g);
            auto r = current_join_response(g, m);
            // KIP-814 (v9): a rejoining leader learns the members' metadata but
            // keeps the current assignment; older leaders learn nothing new.
            if (args.version >= 9)
                r.skip_assignment = g.is_leader(new_id);
            else
                r.members.clear();
            return ready(std::move(r));
        }
    }
    auto slot = park_join(m, args);
    arm_session(g, m);
    if (g.is(classic_state::preparing_rebalance))
        try_complete_join(g);
    else
        prepare_rebalance(g, "a static member rejoined");
    return slot;
}

group_coordinator::join_slot group_coordinator::add_and_park(classic_group& g, join_group_args& args) {
    if (g.members().empty()) g.set_protocol_type(args.protocol_type);
    classic_member fresh;
    fresh.id = args.member_id;
    fresh.instance_id = args.instance_id;
    auto& m = g.add(std::move(fresh));
    auto slot = park_join(m, args);
    if (g.is(classic_state::preparing_rebalance))
        try_complete_join(g);
    else
        prepare_rebalance(g, "a member joined");
    return slot;
}

group_coordinator::join_slot group_coordinator::park_join(classic_member& m, join_group_args& args) {
    m.protocols = std::move(args.protocols);
    m.client_id = args.client_id;
    m.client_host = args.client_host;
    m.session_timeout_ms = args.session_timeout_ms;
    m.rebalance_timeout_ms = args.rebalance_timeout_ms;
    // A repeated join replaces the earlier one, which is told to retry.
    if (m.awaiting_join) m.awaiting_join->complete(join_error(error_code::rebalance_in_progress, m.id));
    m.awaiting_join = std::make_shared<parked_reply<join_group_result>>(ex_);
    return m.awaiting_join;
}

join_group_result group_coordinator::current_join_response(const classic_group& g, const classic_member& m) const {
    join_group_result r;
    r.generation = g.generation();
    r.protocol_type = g.protocol_type();
    r.protocol_name = g.protocol_name();
    r.leader = g.leader().value_or("");
    r.member_id = m.id;
    if (g.is_leader(m.id) && g.protocol_name()) {
        for (const auto& [id, member] : g.members()) {
            const auto* meta = member.metadata(*g.protocol_name());
            r.members.push_back({id, member.instance_id, meta ? *meta : std::vector<uint8_t>{}});
        }
    }
    return r;
}

// ---- the join phase ----

void group_coordinator::prepare_rebalance(classic_group& g, const char* reason) {
    if (g.is(classic_state::completing_rebalance)) {
        // The assignment being synced is void: its members must rejoin.
        for (auto& [id, m] : g.members()) {
            m.assignment.clear();
            if (m.awaiting_sync) m.awaiting_sync->complete({error_code::rebalance_in_progress, {}, {}, {}});
            m.awaiting_sync.reset();
        }
    }
    g.pending_sync().clear();
    const bool initial = g.is(classic_state::empty) && settings_.initial_rebalance_delay_ms > 0;
    spdlog::info("group {}: preparing to rebalance (generation {}): {}", g.id(), g.generation(), reason);
    g.transition_to(classic_state::preparing_rebalance, coordinator_now_ms());
    g.initial_delay = initial;
    if (initial) {
        // More members of a starting application are likely on their way.
        arm_rebalance_timer(g, std::min(settings_.initial_rebalance_delay_ms, g.rebalance_timeout_ms()));
    } else {
        arm_rebalance_timer(g, g.rebalance_timeout_ms());
        try_complete_join(g);
    }
}

void group_coordinator::try_complete_join(classic_group& g) {
    if (!g.is(classic_state::preparing_rebalance) || g.initial_delay) return;
    if (g.awaiting_join_count() == g.members().size() && g.pending_members().empty()) complete_join(g);
}

void group_coordinator::complete_join(classic_group& g) {
    if (!g.is(classic_state::preparing_rebalance)) return;
    g.initial_delay = false;
    // Members that did not rejoin in time are out (max.poll.interval.ms for
    // a consumer that stopped polling).
    std::vector<std::string> gone;
    for (const auto& [id, m] : g.members())
        if (!m.awaiting_join) gone.push_back(id);
    for (const auto& id : gone) {
        spdlog::info("group {}: member {} did not rejoin in time", g.id(), id);
        remove_member(g, id, error_code::unknown_member_id);
    }
    ++g.timer_epoch;
    if (g.rebalance_timer) g.rebalance_timer->cancel();
    g.next_generation(coordinator_now_ms());
    if (g.is(classic_state::empty)) {
        spdlog::info("group {}: generation {} is empty", g.id(), g.generation());
        persist(g);
        return;
    }
    spdlog::info("group {}: generation {} with {} members, protocol {}, leader {}", g.id(), g.generation(),
                 g.members().size(), g.protocol_name().value_or(""), g.leader().value_or(""));
    if (on_rebalance_) on_rebalance_(g.id());
    for (auto& [id, m] : g.members()) {
        g.pending_sync().insert(id);
        auto slot = std::move(m.awaiting_join);
        m.awaiting_join.reset();
        slot->complete(current_join_response(g, m));
        arm_session(g, m);
    }
    // Members that do not sync within the rebalance timeout are removed.
    arm_rebalance_timer(g, g.rebalance_timeout_ms());
}

void group_coordinator::arm_rebalance_timer(classic_group& g, int64_t ms) {
    if (!g.rebalance_timer) g.rebalance_timer = std::make_shared<boost::asio::steady_timer>(ex_);
    const uint64_t epoch = ++g.timer_epoch;
    g.rebalance_timer->expires_after(milliseconds(std::max<int64_t>(ms, 0)));
    g.rebalance_timer->async_wait([this, group = g.id(), epoch](boost::system::error_code ec) {
        if (!ec) on_rebalance_timer(group, epoch);
    });
}

void group_coordinator::on_rebalance_timer(const std::string& group, uint64_t epoch) {
    auto* g = find_mutable(group);
    if (!g || g->timer_epoch != epoch) return;
    if (g->is(classic_state::preparing_rebalance)) {
        if (g->initial_delay) {
            // The delay is over; the usual rules apply for the rest of the rebalance timeout.
            g->initial_delay = false;
            arm_rebalance_timer(*g, int64_t(g->rebalance_timeout_ms()) - settings_.initial_rebalance_delay_ms);
            try_complete_join(*g);
            return;
        }
        complete_join(*g);
        return;
    }
    if ((g->is(classic_state::completing_rebalance) || g->is(classic_state::stable)) && !g->pending_sync().empty()) {
        std::vector<std::string> late(g->pending_sync().begin(), g->pending_sync().end());
        for (const auto& id : late) {
            spdlog::info("group {}: member {} did not sync in time", g->id(), id);
            remove_member(*g, id, error_code::unknown_member_id);
        }
        prepare_rebalance(*g, "members did not sync in time");
    }
}

// ---- sessions ----

void group_coordinator::arm_session(classic_group& g, classic_member& m) {
    if (!m.session_timer) m.session_timer = std::make_shared<boost::asio::steady_timer>(ex_);
    m.session_deadline = boost::asio::steady_timer::clock_type::now() + milliseconds(m.session_timeout_ms);
    m.session_timer->expires_at(m.session_deadline);
    m.session_timer->async_wait([this, group = g.id(), member = m.id](boost::system::error_code ec) {
        if (!ec) on_session_expired(group, member);
    });
}

void group_coordinator::on_session_expired(const std::string& group, const std::string& member_id) {
    auto* g = find_mutable(group);
    if (!g) return;
    auto* m = g->find(member_id);
    if (!m || boost::asio::steady_timer::clock_type::now() < m->session_deadline) return;
    // A member waiting for the group is alive; the join and sync deadlines cover it.
    if (m->awaiting_join || m->awaiting_sync) {
        arm_session(*g, *m);
        return;
    }
    spdlog::info("group {}: member {} session expired", g->id(), member_id);
    remove_member(*g, member_id, error_code::unknown_member_id);
    member_left(*g);
}

void group_coordinator::arm_pending(classic_group& g, const std::string& member_id, int32_t session_timeout_ms) {
    auto timer = std::make_shared<boost::asio::steady_timer>(ex_);
    timer->expires_after(milliseconds(session_timeout_ms));
    timer->async_wait([this, group = g.id(), member_id](boost::system::error_code ec) {
        if (ec) return;
        auto* g = find_mutable(group);
        if (!g || !g->pending_members().erase(member_id)) return;
        try_complete_join(*g);
        if (g->is(classic_state::empty) && g->members().empty() && g->pending_members().empty() &&
            g->generation() == 0)
            groups_.erase(group);  // never had a member
    });
    g.pending_members()[member_id] = std::move(timer);
}

void group_coordinator::remove_member(classic_group& g, const std::string& member_id, error_code reply) {
    auto* m = g.find(member_id);
    if (!m) return;
    if (m->awaiting_join) m->awaiting_join->complete(join_error(reply, member_id));
    if (m->awaiting_sync) m->awaiting_sync->complete({reply, {}, {}, {}});
    g.remove(member_id);  // destroying its session timer cancels it
}

void group_coordinator::member_left(classic_group& g) {
    if (g.is(classic_state::stable) || g.is(classic_state::completing_rebalance))
        prepare_rebalance(g, "a member left");
    else if (g.is(classic_state::preparing_rebalance))
        try_complete_join(g);
}

void group_coordinator::persist(const classic_group& g) {
    auto value = g.encode();
    boost::asio::co_spawn(
        ex_,
        [](offset_store& offsets, std::string group, std::vector<uint8_t> value) -> boost::asio::awaitable<void> {
            if (!co_await offsets.append_group_record(group, std::move(value), coordinator_now_ms()))
                spdlog::warn("group {}: cannot store its metadata", group);
        }(offsets_, g.id(), std::move(value)),
        boost::asio::detached);
}

void group_coordinator::unload(const std::function<bool(const std::string&)>& moved) {
    for (auto it = groups_.begin(); it != groups_.end();) {
        if (!moved(it->first)) {
            ++it;
            continue;
        }
        for (auto& [id, m] : it->second.members()) {
            if (m.awaiting_join) m.awaiting_join->complete(join_error(error_code::not_coordinator, id));
            if (m.awaiting_sync) m.awaiting_sync->complete({error_code::not_coordinator, {}, {}, {}});
        }
        // Its timers go with it; their handlers find no group.
        it = groups_.erase(it);
    }
}

void group_coordinator::restore(const std::string& group, std::optional<std::span<const uint8_t>> value) {
    groups_.erase(group);
    if (!value) return;
    auto g = classic_group::decode(group, *value, coordinator_now_ms());
    if (!g) {
        spdlog::warn("group {}: unreadable metadata record skipped", group);
        return;
    }
    auto& placed = groups_.insert_or_assign(group, std::move(*g)).first->second;
    for (auto& [id, m] : placed.members()) arm_session(placed, m);
}

} // namespace strata::coordinator
