#pragma once
// The groups this broker coordinates follow its leadership of
// __consumer_offsets partitions: when it comes to lead a partition, the
// partition is replayed (committed offsets, classic groups, consumer-protocol
// groups); when it stops leading one, that partition's groups are dropped
// and their waiting members told NOT_COORDINATOR. A single broker leads every
// partition, so it loads them all at start-up. Broker thread only.

#include <set>

#include "strata/cluster/topic_table.h"
#include "strata/coordinator/consumer_group_manager.h"
#include "strata/coordinator/group_coordinator.h"
#include "strata/coordinator/offset_store.h"

namespace strata::coordinator {

class group_leadership {
public:
    group_leadership(cluster::topic_table& topics, offset_store& offsets, group_coordinator& classic,
                     consumer_group_manager& consumer)
        : topics_(topics), offsets_(offsets), classic_(classic), consumer_(consumer) {}

    // Brings the loaded partitions to the ones led now. False when a newly
    // led partition could not be read; it stays unloaded (its groups are
    // answered COORDINATOR_LOAD_IN_PROGRESS) and the next refresh tries again.
    bool refresh();

private:
    bool load(int32_t partition);
    void unload(int32_t partition);

    cluster::topic_table& topics_;
    offset_store& offsets_;
    group_coordinator& classic_;
    consumer_group_manager& consumer_;
};

} // namespace strata::coordinator
