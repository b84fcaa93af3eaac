#include "strata/kafka/server/handlers/list_groups.h"

#include <algorithm>
#include <cctype>

namespace strata::kafka::server {
namespace {

bool equals_ignore_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// An empty filter matches everything; names compare case-insensitively, as in Kafka.
bool matches(const std::vector<std::string>& filter, std::string_view value) {
    return filter.empty() ||
           std::any_of(filter.begin(), filter.end(), [&](const std::string& f) { return equals_ignore_case(f, value); });
}

} // namespace

boost::asio::awaitable<list_groups_handler::response> list_groups_handler::handle(request_context& ctx, request& req) {
    response resp;
    auto add = [&](const std::string& id, std::string protocol_type, std::string state, std::string type) {
        if (!matches(req.states_filter, state) || !matches(req.types_filter, type)) return;
        auto& out = resp.groups.emplace_back();
        out.group_id = id;
        out.protocol_type = std::move(protocol_type);
        out.group_state = std::move(state);
        out.group_type = std::move(type);
    };
    for (const auto& [id, g] : ctx.server.groups.groups()) {
        if (g.is(coordinator::classic_state::dead)) continue;
        add(id, g.protocol_type().value_or(""), std::string(coordinator::to_string(g.state())), "classic");
    }
    for (const auto& [id, g] : ctx.server.consumer_groups.groups()) add(id, "consumer", g.state(), "consumer");
    // Groups that only have committed offsets (simple consumers) are empty classic groups.
    for (const auto& [id, offsets] : ctx.server.offsets.all()) {
        if (ctx.server.groups.find(id) || ctx.server.consumer_groups.find(id)) continue;
        add(id, "", "Empty", "classic");
    }
    co_return resp;
}

} // namespace strata::kafka::server
