#include "strata/storage/high_watermark_checkpoint.h"

#include <fstream>
#include <sstream>
#include <string>

#include <spdlog/spdlog.h>

#include "strata/storage/segment_file.h"

namespace strata::storage {

namespace {

constexpr int format_version = 0;

} // namespace

result<void, errc> write_high_watermarks(const std::filesystem::path& path, const high_watermarks& marks) {
    std::string text = std::to_string(format_version) + "\n" + std::to_string(marks.size()) + "\n";
    for (const auto& [tp, offset] : marks)
        text += tp.topic + " " + std::to_string(tp.partition()) + " " + std::to_string(offset) + "\n";
    return write_file_atomically(path, {reinterpret_cast<const uint8_t*>(text.data()), text.size()}, true);
}

high_watermarks read_high_watermarks(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) return {};
    const auto malformed = [&](const std::string& why) {
        spdlog::warn("storage: ignoring {}: {}", path.string(), why);
        return high_watermarks{};
    };
    int version = -1;
    int64_t count = -1;
    if (!(in >> version) || version != format_version) return malformed("unknown version");
    if (!(in >> count) || count < 0) return malformed("no entry count");
    high_watermarks marks;
    for (int64_t i = 0; i < count; ++i) {
        std::string topic;
        int32_t partition = -1;
        int64_t offset = -1;
        // Topic names cannot hold spaces (topic_table::valid_topic_name).
        if (!(in >> topic >> partition >> offset) || partition < 0 || offset < 0)
            return malformed("entry " + std::to_string(i + 1) + " of " + std::to_string(count) + " is unreadable");
        marks[topic_partition{topic, partition_id(partition)}] = offset;
    }
    if (std::string extra; in >> extra) return malformed("more entries than its count");
    return marks;
}

} // namespace strata::storage
