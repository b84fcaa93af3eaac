#include "strata/kafka/server/handlers/consumer_group_heartbeat.h"

#include "strata/kafka/server/group_routing.h"

#include <algorithm>
#include <string>
#include <variant>
#include <vector>

#include <re2/re2.h>

#include "strata/kafka/server/time.h"

namespace strata::kafka::server {
namespace {

// Topics matching a subscription regex in full, or why the regex is refused.
// RE2, as Kafka (RE2/J): linear in the topic name whatever the pattern, so a
// member's regex cannot stall the broker thread (a backtracking matcher such
// as std::regex takes exponential time on patterns like (a|aa)*c), and the
// same syntax: no backreferences or lookaround.
std::variant<std::vector<std::string>, std::string> resolve_regex(request_context& ctx, const std::string& pattern) {
    RE2::Options options;
    options.set_log_errors(false);
    RE2 re(pattern, options);
    if (!re.ok()) return re.error();
    std::vector<std::string> out;
    for (const auto& [name, t] : ctx.server.topics.topics())
        if (!t->internal() && RE2::FullMatch(name, re)) out.push_back(name);
    return out;
}

} // namespace

boost::asio::awaitable<consumer_group_heartbeat_handler::response> consumer_group_heartbeat_handler::handle(
    request_context& ctx, request& req) {
    auto& groups = ctx.server.consumer_groups;
    response resp;
    resp.heartbeat_interval_ms = groups.settings().heartbeat_interval_ms;
    auto reject = [&](error_code e, std::string message) {
        resp.error_code = code(e);
        resp.error_message = std::move(message);
        resp.member_epoch = req.member_epoch;
        return resp;
    };
    if (req.group_id.empty()) co_return reject(error_code::invalid_request, "GroupId can't be empty.");
    if (auto e = coordination_error(ctx.server, req.group_id))
        co_return reject(*e, "This broker does not coordinate group " + req.group_id + ".");
    if (ctx.api_version >= 1 && req.member_id.empty())
        co_return reject(error_code::invalid_request, "MemberId can't be empty.");

    if (const auto* classic = ctx.server.groups.find(req.group_id)) {
        using coordinator::classic_state;
        // A classic group with members is not taken over (Kafka's answer when
        // it cannot upgrade the group online); an empty one becomes a
        // consumer-protocol group and keeps its offsets.
        if (!classic->is(classic_state::empty) && !classic->is(classic_state::dead))
            co_return reject(error_code::group_id_not_found, "Group " + req.group_id + " is not a consumer group.");
        if (!co_await ctx.server.groups.remove_empty_group(req.group_id))
            co_return reject(error_code::coordinator_not_available, "The group could not be converted.");
    }

    coordinator::consumer_heartbeat hb;
    hb.member_id = req.member_id;
    hb.member_epoch = req.member_epoch;
    hb.instance_id = req.instance_id;
    hb.rack_id = req.rack_id;
    hb.rebalance_timeout_ms = req.rebalance_timeout_ms;
    hb.server_assignor = req.server_assignor;
    hb.client_id = ctx.client_id.value_or("");
    hb.client_host = "/" + ctx.connection.peer_address;
    if (req.subscribed_topic_names) hb.subscribed_topics = req.subscribed_topic_names;
    // A regex subscription is resolved on every heartbeat, so topics created
    // later join the subscription.
    std::optional<std::string> regex = req.subscribed_topic_regex;
    if (!regex)
        if (const auto* g = groups.find(req.group_id))
            if (auto m = g->members().find(req.member_id); m != g->members().end()) regex = m->second.subscribed_regex;
    if (regex && !regex->empty()) {
        auto resolved = resolve_regex(ctx, *regex);
        if (auto* problem = std::get_if<std::string>(&resolved))
            co_return reject(error_code::invalid_regular_expression,
                             "SubscribedTopicRegex " + *regex + " is not a valid regular expression: " + *problem);
        auto* matched = &std::get<std::vector<std::string>>(resolved);
        if (hb.subscribed_topics) {
            // Names the regex matched as well count once.
            matched->insert(matched->end(), hb.subscribed_topics->begin(), hb.subscribed_topics->end());
            std::sort(matched->begin(), matched->end());
            matched->erase(std::unique(matched->begin(), matched->end()), matched->end());
        }
        hb.subscribed_topics = std::move(*matched);
        hb.subscribed_regex = regex;
    } else if (regex) {
        hb.subscribed_regex = std::string();
    }
    if (req.topic_partitions) {
        coordinator::topic_partitions owned;
        for (const auto& tp : *req.topic_partitions)
            if (auto* t = ctx.server.topics.find(tp.topic_id)) owned[t->name] = tp.partitions;
        hb.owned = std::move(owned);
    }

    auto result = groups.heartbeat(req.group_id, hb, wall_clock_ms());
    resp.error_code = code(result.error);
    resp.member_id = result.member_id;
    resp.member_epoch = result.member_epoch;
    if (result.assignment) {
        auto& a = resp.assignment.emplace();
        for (const auto& [topic, parts] : *result.assignment) {
            auto* t = ctx.server.topics.find(topic);
            if (!t || parts.empty()) continue;
            a.topic_partitions.push_back({t->id, parts});
        }
    }
    co_return resp;
}

} // namespace strata::kafka::server
