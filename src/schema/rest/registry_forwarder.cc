#include "strata/schema/rest/registry_forwarder.h"

#include <charconv>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "strata/net/http_client.h"
#include "strata/schema/rest/rest_reply.h"
#include "strata/schema/rest/rest_request.h"

namespace strata::schema {
namespace {

namespace asio = boost::asio;
using clock = std::chrono::steady_clock;

// How long to wait before asking again while no broker leads _schemas.
constexpr std::chrono::milliseconds retry_backoff(100);

int64_t wall_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::optional<int64_t> applied_offset_of(const net::http_response& r) {
    auto text = net::find_header(r.headers, applied_offset_header);
    int64_t offset = 0;
    if (!text || std::from_chars(text->data(), text->data() + text->size(), offset).ec != std::errc{})
        return std::nullopt;
    return offset;
}

} // namespace

bool is_registry_write(const net::http_request& req) {
    if (req.method == "PUT" || req.method == "DELETE") return true;
    if (req.method != "POST") return false;
    // POST /subjects/{s}/versions registers; POST /subjects/{s} and
    // POST /compatibility/... only look.
    auto parsed = parse_rest_request(req);
    return parsed.segment(0) == "subjects" && parsed.segment(2) == "versions" && parsed.path.size() == 3;
}

std::optional<int32_t> registry_forwarder::server_for(bool write) {
    auto* p = reg_.topic().partition();
    if (!p && write) {
        // The first write creates _schemas: at once on a single broker, in
        // the background in a cluster (asked again until it exists).
        (void)reg_.topic().ensure_partition(wall_clock_ms());
        p = reg_.topic().partition();
    }
    if (!p) return write ? std::optional<int32_t>(-1) : std::nullopt;  // nothing registered anywhere yet
    if (p->is_leader() || (!write && p->has_log())) return std::nullopt;
    const int32_t leader = p->assignment().leader;
    const auto* b = leader >= 0 ? brokers_.find(leader) : nullptr;
    return b && b->registry_port ? leader : -1;
}

asio::awaitable<std::optional<net::http_response>> registry_forwarder::route(const net::http_request& req) {
    const bool write = is_registry_write(req);
    const bool forwarded = net::find_header(req.headers, forwarded_header).has_value();
    const auto deadline = clock::now() + timeout_;
    std::string last_error = "no broker leads " + std::string(schemas_topic_name);
    for (;;) {
        const auto server = server_for(write);
        if (!server) co_return std::nullopt;
        // A write forwarded here by a broker that thought this one the
        // primary: that broker looks again.
        if (forwarded)
            co_return json_reply(boost::json::object{{"error_code", int32_t(registry_errc::forwarding_error)},
                                                     {"message", "this broker is not the registry's primary"}},
                                 misdirected_status);
        if (*server >= 0) {
            const auto* b = brokers_.find(*server);
            net::http_request out{req.method, req.target, req.body, req.content_type, {{std::string(forwarded_header), "1"}}};
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
            auto answer = co_await net::http_call(ex_, b->host, uint16_t(*b->registry_port), std::move(out),
                                                  std::max(left, std::chrono::milliseconds(1)));
            if (answer && answer->status != misdirected_status) {
                if (write && answer->status == 200)
                    if (auto offset = applied_offset_of(*answer)) co_await await_applied(*offset, deadline);
                co_return std::move(*answer);
            }
            last_error = answer ? "broker " + std::to_string(*server) + " is not the primary any more"
                                : answer.error();
        }
        if (clock::now() >= deadline) {
            spdlog::warn("schema registry: cannot forward {} {}: {}", req.method, req.target, last_error);
            co_return error_reply(registry_errc::forwarding_error,
                                  "Error while forwarding the request to the primary: " + last_error);
        }
        asio::steady_timer backoff(ex_);
        backoff.expires_after(std::min(retry_backoff, std::chrono::duration_cast<std::chrono::milliseconds>(
                                                           deadline - clock::now())));
        boost::system::error_code ignored;
        co_await backoff.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    }
}

asio::awaitable<void> registry_forwarder::await_applied(int64_t offset, clock::time_point deadline) {
    for (;;) {
        reg_.catch_up();
        auto* p = reg_.topic().partition();
        if (reg_.applied_offset() >= offset || !p || !p->has_log() || clock::now() >= deadline) co_return;
        // Woken when the replica's high watermark moves.
        auto w = std::make_shared<cluster::waiter>(ex_);
        w->timer.expires_at(deadline);
        p->add_fetch_waiter(w);
        boost::system::error_code ignored;
        co_await w->timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    }
}

} // namespace strata::schema
