#include "strata/cluster/topic_admin.h"

#include "strata/base/wall_clock.h"
#include "strata/cluster/topic_table.h"

namespace strata::cluster {

boost::asio::awaitable<result<kafka::uuid, errc>> local_topic_admin::create_topic(new_topic t) {
    const auto partitions = t.assignments.empty() ? t.partitions : int32_t(t.assignments.size());
    auto created = topics_.create_topic(t.name, partitions, std::move(t.configs), wall_clock_ms());
    if (!created) co_return fail(created.error());
    co_return (*created)->id;
}

boost::asio::awaitable<result<void, errc>> local_topic_admin::delete_topic(std::string name) {
    co_return topics_.delete_topic(name);
}

boost::asio::awaitable<result<void, errc>> local_topic_admin::create_partitions(std::string name, int32_t total,
                                                                                std::vector<std::vector<int32_t>>) {
    co_return topics_.create_partitions(name, total, wall_clock_ms());
}

boost::asio::awaitable<result<void, errc>> local_topic_admin::set_configs(std::string name, config_map configs) {
    co_return topics_.set_configs(name, std::move(configs));
}

} // namespace strata::cluster
