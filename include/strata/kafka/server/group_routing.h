#pragma once
// Which broker coordinates a group: the leader of the group's
// __consumer_offsets partition. Group requests that reach another broker of
// a cluster are answered NOT_COORDINATOR (clients then ask FindCoordinator
// again), and COORDINATOR_NOT_AVAILABLE while the offsets topic does not
// exist yet. A single broker coordinates every group.

#include <optional>
#include <string_view>

#include "strata/kafka/protocol/errors.h"
#include "strata/kafka/server/server_context.h"

namespace strata::kafka::server {

// Why this broker cannot serve a request about `group`; nothing when it can.
std::optional<error_code> coordination_error(const server_context& server, std::string_view group);

} // namespace strata::kafka::server
