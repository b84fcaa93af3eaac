#pragma once
// Whole-partition helpers over a raw_client for tests that judge stored data:
// create a topic, produce one batch, and read a partition to its end with
// every batch validated (CRC-32C, lengths, record framing) as it comes back.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "raw_client.h"

namespace strata::test {

// CreateTopics (replication factor 1); the topic's error code.
int16_t create_topic(raw_client& c, const std::string& name, int partitions = 1,
                     const std::vector<std::pair<std::string, std::string>>& configs = {});

struct produce_outcome {
    int16_t error = -100;  // -100: no answer (the connection closed)
    int64_t base_offset = -1;
    std::vector<std::pair<int32_t, std::string>> record_errors;  // batch index, message
};

// Produces `batch` (one record batch) to partition 0 of `topic`.
produce_outcome produce_batch(raw_client& c, const std::string& topic, std::vector<uint8_t> batch,
                              int16_t acks = -1);

struct stored_record {
    int64_t offset;
    std::vector<uint8_t> value;
};

struct partition_contents {
    bool valid = false;  // every fetch answered, every batch validated, offsets contiguous
    int64_t high_watermark = -1;
    int64_t first_offset = -1;  // of the first batch returned (may precede `from`)
    std::vector<stored_record> records;
};

// Fetches `partition` of `topic` from `from` to the high watermark (a fetch
// returns at most one segment, so it may take several). Fetch v12: in a
// cluster a follower answers too, from its own replica (KIP-392).
partition_contents read_partition(raw_client& c, const std::string& topic, int64_t from = 0, int32_t partition = 0);

} // namespace strata::test
