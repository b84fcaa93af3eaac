#pragma once
// The group coordinator: consumer groups by group id. This broker coordinates
// every group (single node), whose state and offsets live in the
// __consumer_offsets partition Kafka's placement rule assigns.
//
// Today it holds the rules OffsetCommit needs; the classic (JoinGroup/
// SyncGroup/Heartbeat/LeaveGroup) and KIP-848 protocols build on it.
// Lives on the broker thread.

#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "strata/coordinator/offset_store.h"
#include "strata/kafka/protocol/errors.h"

namespace strata::coordinator {

class group_coordinator {
public:
    group_coordinator(boost::asio::any_io_executor ex, offset_store& offsets);

    // Whether an OffsetCommit from this member may be applied, as Kafka decides:
    // a "simple" commit (generation -1, no member) is fine for a group without
    // members; otherwise the member and generation must be current.
    kafka::error_code validate_offset_commit(const std::string& group, int32_t generation,
                                             const std::string& member_id,
                                             const std::optional<std::string>& instance_id) const;

    offset_store& offsets() { return offsets_; }

private:
    boost::asio::any_io_executor ex_;
    offset_store& offsets_;
};

} // namespace strata::coordinator
