#pragma once
// A handler serves one Kafka API over a declared version range:
//
//   struct produce_handler {
//       using request = msg::produce_request;
//       using response = msg::produce_response;
//       static constexpr int16_t min_version = 3, max_version = 12;
//       static boost::asio::awaitable<response> handle(request_context&, request&);
//   };
//
// The dispatcher decodes the request, calls handle() and encodes the response
// with the right header; ApiVersions is answered from the same declarations.

#include <cstdint>
#include <optional>

#include <boost/asio/awaitable.hpp>

#include "strata/kafka/protocol/errors.h"
#include "strata/kafka/protocol/messages/api_versions.h"
#include "strata/kafka/protocol/messages/headers.h"
#include "strata/kafka/protocol/reader.h"
#include "strata/kafka/protocol/writer.h"
#include "strata/kafka/server/request_context.h"

namespace strata::kafka::server {

template<class H>
concept kafka_handler = requires(request_context& ctx, typename H::request& req) {
    { H::min_version } -> std::convertible_to<int16_t>;
    { H::max_version } -> std::convertible_to<int16_t>;
    { H::handle(ctx, req) } -> std::same_as<boost::asio::awaitable<typename H::response>>;
};

enum class invoke_status { ok, malformed };

struct handler_entry {
    int16_t api_key = -1;
    const char* name = nullptr;
    int16_t min_version = 0;
    int16_t max_version = -1;
    int16_t first_flexible_version = 0x7fff;
    // Decodes the request body from `r`, handles it and encodes the response
    // (header included) into `w`.
    boost::asio::awaitable<invoke_status> (*invoke)(request_context&, reader&, writer&) = nullptr;
    // What ApiVersions lists as the minimum (see produce_handler).
    int16_t advertised_min_version = 0;

    bool supports(int16_t v) const { return v >= min_version && v <= max_version; }
    bool is_flexible(int16_t v) const { return v >= first_flexible_version; }
};

// ApiVersions responses always use header v0, so clients that do not know the
// broker's versions yet can read them.
inline void write_response_header(writer& w, int16_t api_key, bool flexible, int32_t correlation_id) {
    msg::response_header h;
    h.correlation_id = correlation_id;
    int16_t header_version = (flexible && api_key != msg::api_versions_request::kafka_api_key) ? 1 : 0;
    h.encode(w, header_version);
}

template<kafka_handler H>
boost::asio::awaitable<invoke_status> invoke_handler(request_context& ctx, reader& r, writer& w) {
    typename H::request req;
    req.decode(r, ctx.api_version);
    if (!r.ok()) co_return invoke_status::malformed;
    auto resp = co_await H::handle(ctx, req);
    if (ctx.suppress_response) co_return invoke_status::ok;
    write_response_header(w, H::request::kafka_api_key, H::request::is_flexible(ctx.api_version), ctx.correlation_id);
    resp.encode(w, ctx.api_version);
    co_return invoke_status::ok;
}

template<kafka_handler H>
constexpr handler_entry make_entry(const char* name) {
    static_assert(H::min_version >= H::request::lowest_version && H::max_version <= H::request::highest_version,
                  "a handler may only serve versions its message definition has");
    handler_entry e{H::request::kafka_api_key, name, H::min_version, H::max_version,
                    H::request::first_flexible_version, &invoke_handler<H>};
    if constexpr (requires { H::advertised_min_version; }) e.advertised_min_version = H::advertised_min_version;
    else e.advertised_min_version = H::min_version;
    return e;
}

} // namespace strata::kafka::server
