#include "strata/kafka/server/handlers/alter_configs.h"

#include "strata/kafka/server/config_resources.h"

namespace strata::kafka::server {

boost::asio::awaitable<alter_configs_handler::response> alter_configs_handler::handle(request_context& ctx,
                                                                                      request& req) {
    response resp;
    co_await alter_topic_resources(ctx.server.topics, ctx.server.topic_admin, req.resources, resp.responses, req.validate_only,
                          [](const cluster::topic&, const auto& resource) {
                              // AlterConfigs replaces the whole override set; a null value is no override.
                              cluster::config_map next;
                              for (auto& c : resource.configs)
                                  if (c.value) next[c.name] = *c.value;
                              return next;
                          });
    co_return resp;
}

} // namespace strata::kafka::server
