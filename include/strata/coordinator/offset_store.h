#pragma once
// Committed consumer offsets: served from memory, made durable in the internal
// compacted topic __consumer_offsets (Kafka's record formats), and rebuilt from
// each partition of it this broker comes to lead. A commit answers only once
// its records are on disk and, in a cluster, on every in-sync replica.
// Lives on the broker thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "strata/cluster/group_commit.h"
#include "strata/cluster/topic_table.h"

namespace strata::coordinator {

struct committed_offset {
    int64_t offset = -1;
    int32_t leader_epoch = -1;
    std::string metadata;
    int64_t commit_timestamp = -1;
    // Set by OffsetCommit v2-4's retention_time_ms: the offset expires then,
    // whatever offsets.retention.minutes says (-1: it does not say).
    int64_t expire_timestamp = -1;
    // Where the commit is in __consumer_offsets: a later record always wins.
    int64_t log_offset = -1;
};

// topic -> partition -> offset
using group_offsets = std::map<std::string, std::map<int32_t, committed_offset>, std::less<>>;

struct offset_commit_entry {
    std::string topic;
    int32_t partition;
    committed_offset value;
};

class offset_store {
public:
    // `commit_timeout` bounds the wait for the in-sync replicas (offsets.commit.timeout.ms).
    offset_store(cluster::topic_table& topics, cluster::group_commit& commits, int32_t partitions,
                 std::chrono::milliseconds commit_timeout = std::chrono::milliseconds(5000));

    using group_record_fn = std::function<void(const std::string&, std::optional<std::span<const uint8_t>>)>;
    using consumer_group_record_fn = std::function<void(const std::string&, std::optional<int32_t>)>;

    // Replays one partition of __consumer_offsets, which this broker now
    // leads: its committed offsets, and through `on_group_record` each
    // classic group-metadata record (key version 2) and through
    // `on_consumer_group_record` each consumer-protocol group's epoch (key
    // version 3), in log order; nullopt is a tombstone. False when the log
    // could not be read.
    bool load_partition(int32_t partition, const group_record_fn& on_group_record = {},
                        const consumer_group_record_fn& on_consumer_group_record = {});
    // Forgets the offsets of the groups of `partition`, which this broker no longer leads.
    void unload_partition(int32_t partition);
    bool loaded(int32_t partition) const { return loaded_.contains(partition); }
    // The partition count of the existing topic decides where groups live.
    void set_partitions(int32_t partitions) { partitions_ = partitions; }
    int32_t partition_of(std::string_view group) const;

    // Appends the commits of one group as one batch and waits until durable
    // (and, on a replicated partition, committed by its in-sync replicas);
    // false when they could not be written, made durable or committed.
    boost::asio::awaitable<bool> commit(const std::string& group, std::vector<offset_commit_entry> entries,
                                        int64_t now_ms);
    // Writes tombstones for the given partitions (all of the group's when empty).
    boost::asio::awaitable<bool> remove(const std::string& group,
                                        std::vector<std::pair<std::string, int32_t>> partitions, int64_t now_ms);

    // Writes a classic group's metadata record (key version 2; `value` is a
    // versioned GroupMetadataValue), or its tombstone when nullopt, and waits
    // until durable; false when it could not be written.
    boost::asio::awaitable<bool> append_group_record(const std::string& group,
                                                     std::optional<std::vector<uint8_t>> value, int64_t now_ms);

    // Writes a consumer-protocol group's metadata record (its epoch), or its
    // tombstone when nullopt, and waits until durable.
    boost::asio::awaitable<bool> append_consumer_group_record(const std::string& group, std::optional<int32_t> epoch,
                                                              int64_t now_ms);

    // Creates __consumer_offsets unless it exists (FindCoordinator does this first).
    bool ensure_topic(int64_t now_ms);

    // Resumes once no commit of `group` is waiting for durability. Requests on
    // one connection are pipelined; an OffsetFetch behind an OffsetCommit must
    // still see it, as it would from Kafka.
    boost::asio::awaitable<void> settled(const std::string& group);

    const committed_offset* find(std::string_view group, std::string_view topic, int32_t partition) const;
    const group_offsets* offsets_of(std::string_view group) const;
    const std::map<std::string, group_offsets, std::less<>>& all() const { return offsets_; }
    int32_t partitions() const { return partitions_; }

private:
    struct record_kv {
        std::vector<uint8_t> key;
        std::optional<std::vector<uint8_t>> value;
    };
    boost::asio::awaitable<std::optional<int64_t>> append(const std::string& group, std::vector<record_kv> records,
                                                          int64_t now_ms);
    // Applies a commit, or a tombstone at `log_offset` (nullopt), unless a
    // later record of the partition was applied already.
    void apply(const std::string& group, const std::string& topic, int32_t partition,
               std::optional<committed_offset> value, int64_t log_offset);
    bool replay(cluster::partition& p, const group_record_fn& on_group_record,
                const consumer_group_record_fn& on_consumer_group_record);

    cluster::topic_table& topics_;
    cluster::group_commit& commits_;
    int32_t partitions_;
    std::chrono::milliseconds commit_timeout_;
    std::set<int32_t> loaded_;
    std::map<std::string, group_offsets, std::less<>> offsets_;
    // Commits being made durable, by group, and the fetches waiting for them.
    std::map<std::string, int, std::less<>> in_flight_;
    std::map<std::string, std::vector<std::shared_ptr<cluster::waiter>>, std::less<>> settle_waiters_;
};

} // namespace strata::coordinator
