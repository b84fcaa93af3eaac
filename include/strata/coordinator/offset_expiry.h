#pragma once
// Expires committed offsets the way Kafka does (offsets.retention.minutes),
// one pass at a time; the broker runs a pass every
// offsets.retention.check.interval.ms.
//
// An offset expires once the retention has passed since its base time:
//   - a classic group that is Empty: since the group became empty (the state
//     timestamp), every offset;
//   - a classic group of the consumer protocol that is Stable, and a
//     consumer-protocol group: since the commit, offsets of topics no member
//     subscribes to;
//   - offsets without a group (simple consumers, admin tools): since the commit;
//   - any other group keeps its offsets.
// An offset committed with its own retention (OffsetCommit v2-4) expires at
// that time instead, under the same conditions. Expired offsets get
// tombstones in __consumer_offsets, so they stay gone after a restart; a
// group without members and without offsets left is removed.
// Lives on the broker thread; owned by the broker.

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "strata/coordinator/consumer_group_manager.h"
#include "strata/coordinator/group_coordinator.h"
#include "strata/coordinator/offset_store.h"

namespace strata::coordinator {

struct expiry_pass {
    size_t offsets_expired = 0;
    size_t groups_removed = 0;
};

class offset_expiry {
public:
    offset_expiry(offset_store& offsets, group_coordinator& groups, consumer_group_manager& consumer_groups,
                  int64_t retention_ms)
        : offsets_(offsets), groups_(groups), consumer_groups_(consumer_groups), retention_ms_(retention_ms) {}

    // One pass over every group as of `now_ms`.
    boost::asio::awaitable<expiry_pass> run(int64_t now_ms);

private:
    struct verdict {
        std::vector<std::pair<std::string, int32_t>> expired;
        bool all_expired = false;  // no offset of the group is left afterwards
    };
    verdict judge(const std::string& group, int64_t now_ms) const;
    // Removes `group` if it has no members; whether it did.
    boost::asio::awaitable<bool> remove_if_empty(const std::string& group);

    offset_store& offsets_;
    group_coordinator& groups_;
    consumer_group_manager& consumer_groups_;
    int64_t retention_ms_;
};

} // namespace strata::coordinator
