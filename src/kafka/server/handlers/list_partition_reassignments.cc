#include "strata/kafka/server/handlers/list_partition_reassignments.h"

#include <set>

namespace strata::kafka::server {

boost::asio::awaitable<list_partition_reassignments_handler::response> list_partition_reassignments_handler::handle(
    request_context& ctx, request& req) {
    response resp;
    // Null asks for every partition; named partitions without a reassignment are left out.
    std::map<std::string, std::set<int32_t>> wanted;
    if (req.topics)
        for (const auto& t : *req.topics) wanted[t.name].insert(t.partition_indexes.begin(), t.partition_indexes.end());
    for (const auto& [name, t] : ctx.server.topics.topics()) {
        if (req.topics && !wanted.contains(name)) continue;
        msg::list_partition_reassignments_response::ongoing_topic_reassignment out;
        out.name = name;
        for (const auto& p : t->partitions) {
            const auto& a = p->assignment();
            const int32_t index = p->id().partition();
            if (!a.reassigning() || (req.topics && !wanted[name].contains(index))) continue;
            auto& po = out.partitions.emplace_back();
            po.partition_index = index;
            po.replicas = a.replicas;
            po.adding_replicas = a.adding;
            po.removing_replicas = a.removing;
        }
        if (!out.partitions.empty()) resp.topics.push_back(std::move(out));
    }
    co_return resp;
}

} // namespace strata::kafka::server
