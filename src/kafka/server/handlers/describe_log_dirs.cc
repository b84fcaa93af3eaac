#include "strata/kafka/server/handlers/describe_log_dirs.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <filesystem>

namespace strata::kafka::server {

boost::asio::awaitable<describe_log_dirs_handler::response> describe_log_dirs_handler::handle(request_context& ctx,
                                                                                              request& req) {
    response resp;
    auto& dir = resp.results.emplace_back();
    dir.error_code = code(error_code::none);
    std::error_code ec;
    dir.log_dir = std::filesystem::absolute(ctx.server.settings.log_dir, ec).lexically_normal().string();
    struct statvfs fs {};
    if (::statvfs(dir.log_dir.c_str(), &fs) == 0) {
        dir.total_bytes = int64_t(fs.f_blocks) * int64_t(fs.f_frsize);
        dir.usable_bytes = int64_t(fs.f_bavail) * int64_t(fs.f_frsize);
    }
    auto describe = [&](const cluster::topic& t, const std::vector<int32_t>* only) {
        auto& topic_out = dir.topics.emplace_back();
        topic_out.name = t.name;
        for (const auto& p : t.partitions) {
            int32_t index = p->id().partition();
            if (!p->has_log() || (only && std::find(only->begin(), only->end(), index) == only->end())) continue;
            auto& po = topic_out.partitions.emplace_back();
            po.partition_index = index;
            po.partition_size = int64_t(p->log().size_bytes());
            po.offset_lag = 0;
            po.is_future_key = false;
        }
    };
    if (!req.topics) {
        for (const auto& [name, t] : ctx.server.topics.topics()) describe(*t, nullptr);
        co_return resp;
    }
    for (const auto& wanted : *req.topics)
        if (auto* t = ctx.server.topics.find(wanted.topic)) describe(*t, &wanted.partitions);
    co_return resp;
}

} // namespace strata::kafka::server
