#include "strata/coordinator/offset_expiry.h"

#include <optional>
#include <set>

#include <spdlog/spdlog.h>

namespace strata::coordinator {
namespace {

// Where an offset's retention period starts, for one group.
struct expiry_rule {
    enum class base { commit, group_state } from = base::commit;
    int64_t state_timestamp_ms = -1;
    // Topics whose offsets are kept whatever their age (subscribed by a member).
    std::set<std::string> kept_topics;
};

} // namespace

offset_expiry::verdict offset_expiry::judge(const std::string& group, int64_t now_ms) const {
    std::optional<expiry_rule> rule;
    if (const auto* g = groups_.find(group); g && !g->is(classic_state::dead)) {
        const bool typed = g->protocol_type() && !g->protocol_type()->empty();
        if (!typed) {
            rule = expiry_rule{};
        } else if (g->is(classic_state::empty)) {
            rule = expiry_rule{expiry_rule::base::group_state, g->state_timestamp_ms(), {}};
        } else if (g->is(classic_state::stable)) {
            if (auto topics = g->subscribed_topics()) rule = expiry_rule{expiry_rule::base::commit, -1, *topics};
        }
    } else if (const auto* cg = consumer_groups_.find(group)) {
        rule = expiry_rule{};
        for (const auto& [id, m] : cg->members()) rule->kept_topics.insert(m.subscribed.begin(), m.subscribed.end());
    } else {
        rule = expiry_rule{};  // offsets of no group
    }

    verdict out;
    const auto* offsets = offsets_.offsets_of(group);
    if (!offsets) {
        out.all_expired = true;
        return out;
    }
    if (!rule) return out;
    size_t kept = 0;
    for (const auto& [topic, parts] : *offsets) {
        if (rule->kept_topics.contains(topic)) {
            kept += parts.size();
            continue;
        }
        for (const auto& [partition, c] : parts) {
            bool expired;
            if (c.expire_timestamp >= 0) {
                expired = now_ms >= c.expire_timestamp;
            } else {
                // Groups restored without a state timestamp count from the commit.
                const int64_t base = rule->from == expiry_rule::base::group_state && rule->state_timestamp_ms >= 0
                                         ? rule->state_timestamp_ms
                                         : c.commit_timestamp;
                expired = now_ms - base >= retention_ms_;
            }
            if (expired)
                out.expired.emplace_back(topic, partition);
            else
                ++kept;
        }
    }
    out.all_expired = kept == 0;
    return out;
}

boost::asio::awaitable<bool> offset_expiry::remove_if_empty(const std::string& group) {
    if (const auto* g = groups_.find(group)) {
        if (!g->is(classic_state::empty)) co_return false;
        co_return co_await groups_.remove_empty_group(group);
    }
    co_return consumer_groups_.remove_empty(group);
}

boost::asio::awaitable<expiry_pass> offset_expiry::run(int64_t now_ms) {
    std::set<std::string> ids;
    for (const auto& [id, o] : offsets_.all()) ids.insert(id);
    for (const auto& [id, g] : groups_.groups()) ids.insert(id);
    for (const auto& [id, g] : consumer_groups_.groups()) ids.insert(id);
    expiry_pass pass;
    for (const auto& id : ids) {
        // Judge what is durable: a commit still in flight must not be missed.
        co_await offsets_.settled(id);
        auto v = judge(id, now_ms);
        if (!v.expired.empty()) {
            const size_t n = v.expired.size();
            if (!co_await offsets_.remove(id, std::move(v.expired), now_ms)) {
                spdlog::warn("group {}: cannot write tombstones for {} expired offsets", id, n);
                continue;
            }
            pass.offsets_expired += n;
            spdlog::info("group {}: {} committed offsets expired", id, n);
        }
        // A commit may have arrived while the tombstones were written.
        if (v.all_expired && !offsets_.offsets_of(id) && co_await remove_if_empty(id)) {
            ++pass.groups_removed;
            spdlog::info("group {}: removed (no members, no offsets)", id);
        }
    }
    co_return pass;
}

} // namespace strata::coordinator
