#pragma once
// What the cluster tests share: three real brokers on one real etcd, and
// how each broker describes a topic (leaders, epochs, replicas, ISRs), read
// with Metadata so that a test sees what clients see.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "broker_process.h"
#include "etcd_process.h"

namespace strata::test {

struct partition_view {
    int32_t leader = -1;  // -1 too when the partition answered an error (no leader)
    int16_t error = 0;
    int32_t leader_epoch = -1;
    std::vector<int32_t> replicas;
    std::vector<int32_t> isr;
};

// Metadata for one topic from the broker on `port`; nullopt when it does not know the topic.
std::optional<std::vector<partition_view>> describe_topic(uint16_t port, const std::string& topic);

// Brokers 1..`count` on `etcd` with short sessions, each with `extra`
// overrides, started and waited for until every one lists all of them.
std::vector<std::unique_ptr<broker_process>> start_cluster(const etcd_process& etcd, int count,
                                                           const std::vector<std::string>& extra = {});

} // namespace strata::test
