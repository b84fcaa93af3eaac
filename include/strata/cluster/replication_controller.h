#pragma once
// Who leads and who is in sync, kept in etcd (topic_records.h): a leader
// shrinks the ISR of its partitions when a follower has not caught up for
// replica.lag.time.max.ms and expands it when one has (Kafka's AlterPartition,
// here a compare-and-swap on the partition's key); the controller moves the
// leadership of a broker that left to the first live member of the ISR and
// takes it out of every ISR (Kafka's fencing), electing from outside the ISR
// only where unclean.leader.election.enable says so. Every change bumps the
// partition epoch and, for a new leader, the leader epoch. Coroutines on the
// broker thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "strata/cluster/broker_directory.h"
#include "strata/cluster/cluster_topic_state.h"
#include "strata/cluster/etcd/etcd_client.h"
#include "strata/cluster/topic_table.h"

namespace strata::cluster {

class replication_controller {
public:
    replication_controller(boost::asio::any_io_executor executor, etcd::client& etcd, cluster_topic_state& state,
                           topic_table& topics, const broker_directory& brokers, std::string prefix,
                           int64_t replica_lag_time_max_ms);

    // The leader's ISR upkeep for every partition it leads (each housekeeping tick).
    void maintain_isrs(int64_t now_ms);
    // The controller's elections: partitions whose leader is gone or that have
    // none, and live ISRs naming brokers that are gone. Does nothing elsewhere.
    void elect_leaders();
    // The controller's preferred-leader rebalancing (auto.leader.rebalance.enable):
    // where more than `imbalance_percentage` of the partitions that prefer a
    // broker (their first replica) are led by others, leadership goes back to
    // it for those where it is live and in sync. Does nothing elsewhere.
    void rebalance_preferred_leaders(int32_t imbalance_percentage);
    // Controlled shutdown: every partition this broker leads gets another
    // live in-sync replica as leader, and this broker leaves its ISR, before
    // it stops (Kafka's controlled shutdown). Until the writes are done or
    // `timeout` passed.
    boost::asio::awaitable<void> resign_leaderships(std::chrono::milliseconds timeout);

    // After this broker joined the cluster (a restart): it leaves the ISR of
    // every partition it follows (it is in sync again once its leader says
    // so), and every leadership its previous run held (fenced when the topic
    // state was first loaded) is handed to another live in-sync replica, or,
    // where it is the only in-sync replica, taken up again with a new leader
    // epoch; with in-sync replicas none of which is live it waits for one.
    void rejoin();
    // Writes the handovers of fenced leaderships still pending (after a lost
    // compare-and-swap, or waiting for a live successor); called on every
    // change of the topic state and of the live brokers.
    void reclaim_fenced_leaderships();

    // ElectLeaders: the preferred replica (when live and in sync), or, for an
    // unclean election of a leaderless partition, any live replica.
    enum class election { elected, not_needed, no_eligible_leader, unknown_partition, failed };
    boost::asio::awaitable<election> elect(std::string topic, int32_t partition, bool preferred,
                                           std::chrono::milliseconds timeout);

    // AlterPartitionReassignments (KIP-455): `target` becomes the partition's
    // replicas. The replica set grows to target plus current; once every
    // target replica is in sync the controller completes it (replicas =
    // target, the ISR cut to it, a leader from it). A null target cancels a
    // reassignment under way (back to the replicas before it).
    enum class reassignment { accepted, no_reassignment, unknown_partition, invalid_replicas,
                              replication_factor_change, failed };
    boost::asio::awaitable<reassignment> reassign(std::string topic, int32_t partition,
                                                  std::optional<std::vector<int32_t>> target,
                                                  bool allow_replication_factor_change,
                                                  std::chrono::milliseconds timeout);
    // The controller's part: reassignments whose target replicas are all in sync are completed.
    void complete_reassignments();

    // Told of every partition change this broker wrote: "shrink" or "expand"
    // (an ISR), "election", "preferred" or "handover" (a leader),
    // "reassignment" (a reassignment started, completed or cancelled).
    void observe(std::function<void(const char* kind)> f) { observer_ = std::move(f); }

private:
    using change_fn = std::function<std::optional<records::partition_value>(const records::partition_value&)>;
    // Rewrites one partition's state if `change` asks for it, conditioned on
    // the state this broker last saw; one change per partition in flight.
    void change(const kafka::uuid& id, int32_t partition, change_fn change, std::string why, const char* kind);
    boost::asio::awaitable<void> write(kafka::uuid id, int32_t partition, records::partition_value next,
                                       int64_t read_at, std::string why, const char* kind);
    bool unclean_allowed(const std::string& topic) const;
    // The partition of `topic` as etcd has it (and its topic's id), or null.
    const cluster_topic_state::known_partition* find_partition(const std::string& topic, int32_t partition,
                                                               kafka::uuid& id) const;
    // Writes `next` (its partition epoch bumped past the one read) unless the
    // partition changed since `read_at`, then waits until this broker has
    // applied it or `timeout` passed; false when it was not written.
    boost::asio::awaitable<bool> write_and_wait(kafka::uuid id, int32_t partition, int64_t read_at,
                                                records::partition_value next, std::chrono::milliseconds timeout);

    boost::asio::any_io_executor executor_;
    etcd::client& etcd_;
    cluster_topic_state& state_;
    topic_table& topics_;
    const broker_directory& brokers_;
    std::string prefix_;
    int64_t lag_max_ms_;
    std::set<std::pair<kafka::uuid, int32_t>> in_flight_;
    std::function<void(const char*)> observer_;
};

} // namespace strata::cluster
