#include "strata/coordinator/classic_group.h"

#include <algorithm>

#include "strata/coordinator/consumer_protocol.h"
#include "strata/kafka/protocol/messages/consumer_offsets.h"
#include "strata/kafka/protocol/reader.h"
#include "strata/kafka/protocol/writer.h"

namespace strata::coordinator {
namespace {

constexpr int16_t group_value_version = 3;
constexpr std::string_view consumer_protocol_type = "consumer";

} // namespace

std::string_view to_string(classic_state s) {
    switch (s) {
    case classic_state::empty: return "Empty";
    case classic_state::preparing_rebalance: return "PreparingRebalance";
    case classic_state::completing_rebalance: return "CompletingRebalance";
    case classic_state::stable: return "Stable";
    case classic_state::dead: return "Dead";
    }
    return "Unknown";
}

const std::vector<uint8_t>* classic_member::metadata(std::string_view protocol) const {
    for (const auto& p : protocols)
        if (p.name == protocol) return &p.metadata;
    return nullptr;
}

classic_member* classic_group::find(const std::string& member_id) {
    auto it = members_.find(member_id);
    return it == members_.end() ? nullptr : &it->second;
}

const std::string* classic_group::static_member_id(const std::string& instance_id) const {
    for (const auto& [id, m] : members_)
        if (m.instance_id && *m.instance_id == instance_id) return &id;
    return nullptr;
}

classic_member& classic_group::add(classic_member m) {
    if (!leader_) leader_ = m.id;
    auto id = m.id;
    return members_.insert_or_assign(id, std::move(m)).first->second;
}

void classic_group::remove(const std::string& member_id) {
    members_.erase(member_id);
    pending_sync_.erase(member_id);
    if (is_leader(member_id)) {
        leader_.reset();
        // Kafka prefers a member that is already rejoining.
        for (const auto& [id, m] : members_)
            if (m.awaiting_join) {
                leader_ = id;
                break;
            }
        if (!leader_ && !members_.empty()) leader_ = members_.begin()->first;
    }
}

classic_member& classic_group::replace_id(const std::string& old_id, const std::string& new_id) {
    auto node = members_.extract(old_id);
    node.key() = new_id;
    node.mapped().id = new_id;
    auto& m = members_.insert(std::move(node)).position->second;
    if (is_leader(old_id)) leader_ = new_id;
    if (pending_sync_.erase(old_id)) pending_sync_.insert(new_id);
    return m;
}

bool classic_group::supports(const std::string& type, const std::vector<join_protocol>& protocols) const {
    if (members_.empty()) return !type.empty() && !protocols.empty();
    if (!protocol_type_ || *protocol_type_ != type) return false;
    return std::any_of(protocols.begin(), protocols.end(), [&](const join_protocol& p) {
        return std::all_of(members_.begin(), members_.end(),
                           [&](const auto& kv) { return kv.second.metadata(p.name) != nullptr; });
    });
}

std::string classic_group::select_protocol() const {
    std::map<std::string, int> votes;
    for (const auto& [id, m] : members_) {
        // A member votes for the first protocol it prefers that everyone supports.
        for (const auto& p : m.protocols) {
            bool everyone = std::all_of(members_.begin(), members_.end(),
                                        [&](const auto& kv) { return kv.second.metadata(p.name) != nullptr; });
            if (everyone) {
                ++votes[p.name];
                break;
            }
        }
    }
    std::string best;
    int most = 0;
    for (const auto& [name, n] : votes)
        if (n > most) best = name, most = n;
    return best;
}

void classic_group::next_generation(int64_t now_ms) {
    ++generation_;
    if (members_.empty()) {
        protocol_name_.reset();
        leader_.reset();
        transition_to(classic_state::empty, now_ms);
        return;
    }
    protocol_name_ = select_protocol();
    if (!leader_ || !members_.contains(*leader_)) leader_ = members_.begin()->first;
    transition_to(classic_state::completing_rebalance, now_ms);
}

int32_t classic_group::rebalance_timeout_ms() const {
    int32_t longest = 0;
    for (const auto& [id, m] : members_) longest = std::max(longest, m.rebalance_timeout_ms);
    return longest;
}

size_t classic_group::awaiting_join_count() const {
    return size_t(std::count_if(members_.begin(), members_.end(),
                                [](const auto& kv) { return kv.second.awaiting_join != nullptr; }));
}

std::optional<std::set<std::string>> classic_group::subscribed_topics() const {
    if (!protocol_type_ || *protocol_type_ != consumer_protocol_type) return std::nullopt;
    std::set<std::string> topics;
    if (members_.empty()) return topics;
    if (!protocol_name_) return std::nullopt;
    for (const auto& [id, m] : members_) {
        const auto* meta = m.metadata(*protocol_name_);
        if (!meta) return std::nullopt;
        auto subscribed = subscription_topics(*meta);
        if (!subscribed) return std::nullopt;
        topics.insert(subscribed->begin(), subscribed->end());
    }
    return topics;
}

bool classic_group::subscribed_to(const std::string& topic) const {
    // Unreadable subscriptions of a consumer group count as subscribed, as in Kafka.
    if (auto topics = subscribed_topics()) return topics->contains(topic);
    return protocol_type_ && *protocol_type_ == consumer_protocol_type;
}

std::vector<uint8_t> classic_group::encode() const {
    kafka::msg::group_metadata_value v;
    v.protocol_type = protocol_type_.value_or("");
    v.generation = generation_;
    v.protocol = protocol_name_;
    v.leader = leader_;
    v.current_state_timestamp = state_timestamp_ms_;
    for (const auto& [id, m] : members_) {
        auto& out = v.members.emplace_back();
        out.member_id = id;
        out.group_instance_id = m.instance_id;
        out.client_id = m.client_id;
        out.client_host = m.client_host;
        out.rebalance_timeout = m.rebalance_timeout_ms;
        out.session_timeout = m.session_timeout_ms;
        if (protocol_name_)
            if (const auto* meta = m.metadata(*protocol_name_)) out.subscription = *meta;
        out.assignment = m.assignment;
    }
    kafka::writer w;
    w.write_int16(group_value_version);
    v.encode(w, group_value_version);
    return w.buffer();
}

std::optional<classic_group> classic_group::decode(const std::string& id, std::span<const uint8_t> value,
                                                   int64_t now_ms) {
    std::vector<uint8_t> bytes(value.begin(), value.end());
    kafka::reader r(bytes);
    int16_t version = r.read_int16();
    if (!r.ok() || version < 0 || version > 4) return std::nullopt;
    kafka::msg::group_metadata_value v;
    v.decode(r, version);
    if (!r.ok()) return std::nullopt;
    classic_group g(id);
    g.generation_ = v.generation;
    g.protocol_type_ = v.protocol_type;
    g.protocol_name_ = v.protocol;
    g.leader_ = v.leader;
    g.state_timestamp_ms_ = v.current_state_timestamp >= 0 ? v.current_state_timestamp : now_ms;
    for (auto& in : v.members) {
        classic_member m;
        m.id = in.member_id;
        m.instance_id = in.group_instance_id;
        m.client_id = in.client_id;
        m.client_host = in.client_host;
        m.session_timeout_ms = in.session_timeout;
        m.rebalance_timeout_ms = in.rebalance_timeout >= 0 ? in.rebalance_timeout : in.session_timeout;
        if (v.protocol) m.protocols.push_back({*v.protocol, std::move(in.subscription)});
        m.assignment = std::move(in.assignment);
        g.members_.emplace(m.id, std::move(m));
    }
    if (g.members_.empty() || !g.protocol_name_) {
        g.members_.clear();
        g.leader_.reset();
        g.state_ = classic_state::empty;
    } else {
        g.state_ = classic_state::stable;
        if (!g.leader_ || !g.members_.contains(*g.leader_)) g.leader_ = g.members_.begin()->first;
    }
    return g;
}

} // namespace strata::coordinator
