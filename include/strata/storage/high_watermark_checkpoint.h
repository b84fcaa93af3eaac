#pragma once
// Every replica's high watermark in one file per log dir,
// `<log_dir>/replication-offset-checkpoint`, in Apache Kafka's format: a
// version line (0), a count line, then "<topic> <partition> <offset>" per
// partition. A restarted replica starts from it: a leader answers consumers
// and ListOffsets with what was committed before, rather than nothing until
// its followers fetch again, and a follower serves KIP-392 reads while its
// leader is out of reach. One file, not one per partition, so that a broker
// of many partitions pays one fsync per checkpoint. Written to `<name>.tmp`,
// fsynced and renamed over the old file (see write_file_atomically).
// Stateless functions, called on the broker thread.

#include <cstdint>
#include <filesystem>
#include <map>

#include "strata/base/result.h"
#include "strata/base/types.h"
#include "strata/storage/errc.h"

namespace strata::storage {

using high_watermarks = std::map<topic_partition, int64_t>;

inline constexpr const char* high_watermark_file = "replication-offset-checkpoint";

result<void, errc> write_high_watermarks(const std::filesystem::path& path, const high_watermarks& marks);
// What the file holds; empty when it is missing, or malformed (a warning is
// logged: the replicas then start from their followers' or leader's word).
high_watermarks read_high_watermarks(const std::filesystem::path& path);

} // namespace strata::storage
