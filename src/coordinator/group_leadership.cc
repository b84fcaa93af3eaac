#include "strata/coordinator/group_leadership.h"

#include <spdlog/spdlog.h>

#include "strata/coordinator/offsets_topic.h"

namespace strata::coordinator {

bool group_leadership::refresh() {
    auto* topic = topics_.find(offsets_topic_name);
    const int32_t count = topic ? int32_t(topic->partitions.size()) : 0;
    // A partition no longer led, or gone with the topic.
    for (int32_t p = 0; p < offsets_.partitions(); ++p) {
        if (!offsets_.loaded(p)) continue;
        if (p >= count || !topic->partitions[size_t(p)]->is_leader()) unload(p);
    }
    if (!topic) return true;
    // An existing topic decides the partition count: group placement must not move.
    offsets_.set_partitions(count);
    bool ok = true;
    int loaded = 0;
    for (int32_t p = 0; p < count; ++p) {
        if (!topic->partitions[size_t(p)]->is_leader() || offsets_.loaded(p)) continue;
        if (load(p))
            ++loaded;
        else
            ok = false;
    }
    if (loaded)
        spdlog::info("loaded {} partitions of {}: coordinating {} groups with committed offsets", loaded,
                     offsets_topic_name, offsets_.all().size());
    return ok;
}

bool group_leadership::load(int32_t partition) {
    // A group's later record of either protocol replaces the earlier one.
    const bool ok = offsets_.load_partition(
        partition,
        [this](const std::string& group, std::optional<std::span<const uint8_t>> value) {
            if (value) consumer_.restore(group, std::nullopt);
            classic_.restore(group, value);
        },
        [this](const std::string& group, std::optional<int32_t> epoch) {
            if (epoch) classic_.restore(group, std::nullopt);
            consumer_.restore(group, epoch);
        });
    if (!ok) {
        spdlog::error("cannot load partition {} of {}; its groups wait until it can be read", partition,
                      offsets_topic_name);
        // What was replayed before the failure is not served.
        unload(partition);
        return false;
    }
    spdlog::debug("coordinating the groups of {}-{}", offsets_topic_name, partition);
    return true;
}

void group_leadership::unload(int32_t partition) {
    const auto moved = [&](const std::string& group) { return offsets_.partition_of(group) == partition; };
    classic_.unload(moved);
    consumer_.unload(moved);
    if (offsets_.loaded(partition)) spdlog::info("no longer coordinating the groups of {}-{}", offsets_topic_name, partition);
    offsets_.unload_partition(partition);
}

} // namespace strata::coordinator
