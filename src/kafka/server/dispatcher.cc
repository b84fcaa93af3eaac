#include "strata/kafka/server/dispatcher.h"

#include <chrono>

#include <spdlog/spdlog.h>

#include "strata/kafka/server/handlers/all.h"

namespace strata::kafka::server {
namespace {

constexpr handler_entry table[] = {
#define STRATA_ENTRY(handler, name) make_entry<handler>(name),
    STRATA_KAFKA_HANDLERS(STRATA_ENTRY)
#undef STRATA_ENTRY
};

int16_t peek_int16(const net::frame_bytes& f, size_t at) { return int16_t(uint16_t(f[at]) << 8 | f[at + 1]); }

net::frame_outcome close_connection() { return net::frame_outcome{std::nullopt, true}; }

} // namespace

dispatcher::dispatcher(server_context& ctx) : ctx_(ctx) {}

std::span<const handler_entry> dispatcher::handlers() { return table; }

const handler_entry* dispatcher::find(int16_t api_key) {
    for (const auto& e : table)
        if (e.api_key == api_key) return &e;
    return nullptr;
}

boost::asio::awaitable<net::frame_outcome> dispatcher::handle_frame(net::frame_bytes& frame,
                                                                    const net::connection_info& conn) {
    auto start = std::chrono::steady_clock::now();
    if (frame.size() < 8) {
        spdlog::warn("{}:{}: request of {} bytes is shorter than a header; closing", conn.peer_address,
                     conn.peer_port, frame.size());
        co_return close_connection();
    }
    const int16_t api_key = peek_int16(frame, 0);
    const int16_t api_version = peek_int16(frame, 2);
    const handler_entry* entry = find(api_key);
    if (!entry) {
        spdlog::warn("{}:{}: unknown API key {}; closing", conn.peer_address, conn.peer_port, api_key);
        co_return close_connection();
    }
    const bool version_ok = entry->supports(api_version);
    // A too-new ApiVersions request still gets a readable answer; its header
    // is parsed as the newest version we know would send it.
    const bool flexible_header = version_ok ? entry->is_flexible(api_version)
                                            : api_version >= entry->first_flexible_version;
    reader r(frame);
    msg::request_header header;
    header.decode(r, flexible_header ? 2 : 1);
    if (!r.ok()) {
        spdlog::warn("{}:{}: malformed request header; closing", conn.peer_address, conn.peer_port);
        co_return close_connection();
    }
    request_context ctx{api_key, api_version, header.correlation_id, header.client_id, conn, ctx_};

    writer w;
    if (!version_ok) {
        if (api_key != msg::api_versions_request::kafka_api_key) {
            spdlog::warn("{}:{} ({}): {} v{} is not supported (v{}-{}); closing", conn.peer_address, conn.peer_port,
                         header.client_id.value_or(""), entry->name, api_version, entry->min_version,
                         entry->max_version);
            co_return close_connection();
        }
        write_response_header(w, api_key, false, header.correlation_id);
        api_versions_handler::supported_versions(error_code::unsupported_version).encode(w, 0);
        co_return net::frame_outcome{std::move(w).finish(), false};
    }

    auto status = co_await entry->invoke(ctx, r, w);
    if (status == invoke_status::malformed) {
        spdlog::warn("{}:{} ({}): malformed {} v{} request; closing", conn.peer_address, conn.peer_port,
                     header.client_id.value_or(""), entry->name, api_version);
        co_return close_connection();
    }
    ctx_.probe.request_done(entry->name,
                            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    if (ctx.suppress_response) co_return net::frame_outcome{std::nullopt, ctx.close_connection};
    co_return net::frame_outcome{std::move(w).finish(), ctx.close_connection};
}

} // namespace strata::kafka::server
