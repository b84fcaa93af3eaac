#include "strata/kafka/server/handlers/alter_configs.h"

#include "strata/kafka/server/config_resources.h"
#include "strata/kafka/server/errors.h"

namespace strata::kafka::server {

boost::asio::awaitable<alter_configs_handler::response> alter_configs_handler::handle(request_context& ctx,
                                                                                      request& req) {
    response resp;
    for (auto& resource : req.resources) {
        auto& out = resp.responses.emplace_back();
        out.resource_type = resource.resource_type;
        out.resource_name = resource.resource_name;
        if (resource_type(resource.resource_type) != resource_type::topic) {
            out.error_code = code(error_code::invalid_request);
            out.error_message = "Only topic configs can be altered on this broker.";
            continue;
        }
        auto* t = ctx.server.topics.find(resource.resource_name);
        if (!t) {
            out.error_code = code(error_code::unknown_topic_or_partition);
            out.error_message = "Topic '" + resource.resource_name + "' does not exist.";
            continue;
        }
        // AlterConfigs replaces the whole override set; a null value is no override.
        cluster::config_map next;
        for (auto& c : resource.configs)
            if (c.value) next[c.name] = *c.value;
        if (auto failure = validate_topic_configs(next)) {
            out.error_code = code(failure->error);
            out.error_message = failure->message;
            continue;
        }
        if (req.validate_only) continue;
        if (auto r = ctx.server.topics.set_configs(t->name, std::move(next)); !r)
            out.error_code = code(to_kafka_error(r.error()));
    }
    co_return resp;
}

} // namespace strata::kafka::server
