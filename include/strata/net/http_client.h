#pragma once
// One HTTP/1.1 request on a connection of its own, as a coroutine on the
// caller's executor: how a broker forwards a schema registry write to the
// broker that takes writes. Broker thread.

#include <chrono>
#include <cstdint>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "strata/base/result.h"
#include "strata/net/http_server.h"

namespace strata::net {

// `req` sent to host:port (with its headers); its response with the
// extension (X-) headers, or why there is none (connection refused, `timeout`
// passed, unreadable response).
boost::asio::awaitable<result<http_response, std::string>> http_call(boost::asio::any_io_executor ex, std::string host,
                                                                     uint16_t port, http_request req,
                                                                     std::chrono::milliseconds timeout);

} // namespace strata::net
