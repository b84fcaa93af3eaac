#pragma once
// What the cluster tests share: three real brokers on one real etcd, and
// what each broker answers about topics (leaders, epochs, replicas, ISRs,
// read with Metadata so that a test sees what clients see), elections and
// group coordinators.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "broker_process.h"
#include "etcd_process.h"
#include "isolated_network.h"

namespace strata::test {

struct partition_view {
    int32_t leader = -1;  // -1 too when the partition answered an error (no leader)
    int16_t error = 0;
    int32_t leader_epoch = -1;
    std::vector<int32_t> replicas;
    std::vector<int32_t> isr;
};

// Metadata for one topic from the broker on `port`; nullopt when it does not know the topic.
std::optional<std::vector<partition_view>> describe_topic(const broker_address& broker, const std::string& topic);

// ElectLeaders (type 0 preferred, 1 unclean) for every partition, asked of
// the broker on `port`: the error code of each partition of `topic`.
std::map<int32_t, int16_t> elect_leaders(const broker_address& broker, int8_t type, const std::string& topic);

// The broker FindCoordinator on `port` names for `group`; -1 on an error.
int32_t find_group_coordinator(const broker_address& broker, const std::string& group);

// The offsets `group` committed for partitions 0..partitions-1 of `topic`, as
// OffsetFetch on `port` answers (-1 for none); nullopt on an error (e.g. NOT_COORDINATOR).
std::optional<std::vector<int64_t>> committed_offsets(const broker_address& broker, const std::string& group,
                                                      const std::string& topic, int32_t partitions);

// What a Kafka command-line tool (.tools/kafka/bin/`tool`) printed, stdout
// and stderr together, and its exit status; it fails the test when the tool
// is missing (CI fetches them) or runs longer than 120 s.
struct tool_run {
    int exit = -1;
    std::string output;
};
tool_run run_kafka_tool(const std::string& tool, const std::vector<std::string>& args);

// The bootstrap list of the running brokers.
std::string running_bootstrap(const std::vector<std::unique_ptr<broker_process>>& brokers);

// Brokers 1..`count` on `etcd` with short sessions, each with `extra`
// overrides ("{id}" in one stands for the broker's node id), started and
// waited for until every one lists all of them. With `network`, broker i
// runs as its host i.
std::vector<std::unique_ptr<broker_process>> start_cluster(const etcd_process& etcd, int count,
                                                           const std::vector<std::string>& extra = {},
                                                           const isolated_network* network = nullptr);

} // namespace strata::test
