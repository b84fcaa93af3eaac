#include "strata/kafka/server/handlers/alter_configs.h"

#include "strata/kafka/server/config_resources.h"

namespace strata::kafka::server {

boost::asio::awaitable<alter_configs_handler::response> alter_configs_handler::handle(request_context& ctx,
                                                                                      request& req) {
    response resp;
    for (auto& resource : req.resources) {
        auto& out = resp.responses.emplace_back();
        out.resource_type = resource.resource_type;
        out.resource_name = resource.resource_name;
        auto target = alterable_topic(ctx.server.topics, resource.resource_type, resource.resource_name);
        std::optional<config_failure> failure;
        if (auto* f = std::get_if<config_failure>(&target)) {
            failure = *f;
        } else {
            // AlterConfigs replaces the whole override set; a null value is no override.
            cluster::config_map next;
            for (auto& c : resource.configs)
                if (c.value) next[c.name] = *c.value;
            failure = replace_topic_configs(ctx.server.topics, *std::get<cluster::topic*>(target), std::move(next),
                                            req.validate_only);
        }
        if (failure) {
            out.error_code = code(failure->error);
            out.error_message = failure->message;
        }
    }
    co_return resp;
}

} // namespace strata::kafka::server
