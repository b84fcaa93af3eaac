#include "strata/schema/rest/registry_api.h"

#include "strata/schema/rest/rest_reply.h"
#include "strata/schema/rest/routes.h"

namespace strata::schema {

boost::asio::awaitable<net::http_response> registry_api::handle(net::http_request http) {
    // What other brokers registered meanwhile (a cluster) is answered too.
    reg_.catch_up();
    if (forwarder_)
        if (auto answer = co_await forwarder_->route(http)) co_return std::move(*answer);
    auto out = co_await dispatch(std::move(http));
    out.headers.emplace_back(applied_offset_header, std::to_string(reg_.applied_offset()));
    co_return out;
}

boost::asio::awaitable<net::http_response> registry_api::dispatch(net::http_request http) {
    auto req = parse_rest_request(http);
    auto resource = req.segment(0);
    if (resource == "subjects") {
        if (req.segment(2) == "versions") co_return co_await subject_version_routes(reg_, req);
        co_return co_await subject_routes(reg_, req);
    }
    if (resource == "schemas") co_return schema_routes(reg_, req);
    if (resource == "config") co_return co_await config_routes(reg_, req);
    if (resource == "mode") co_return co_await mode_routes(reg_, req);
    if (resource == "compatibility") co_return compatibility_routes(reg_, req);
    // GET / answers {} in Confluent's registry: clients use it as a liveness probe.
    if (req.path.empty() && req.method == "GET") co_return json_reply(boost::json::object{});
    co_return not_found_reply();
}

} // namespace strata::schema
