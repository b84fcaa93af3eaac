#include "strata/storage/leader_epoch_cache.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "strata/storage/segment_file.h"

namespace strata::storage {

void leader_epoch_cache::load() {
    entries_.clear();
    std::ifstream in(dir_ / file_name);
    if (!in) return;
    int version = -1;
    size_t count = 0;
    std::vector<epoch_entry> entries;
    bool ok = bool(in >> version >> count) && version == 0;
    for (size_t i = 0; ok && i < count; ++i) {
        epoch_entry e;
        ok = bool(in >> e.epoch >> e.start_offset) && e.epoch >= 0 && e.start_offset >= 0 &&
             (entries.empty() || (e.epoch > entries.back().epoch && e.start_offset >= entries.back().start_offset));
        if (ok) entries.push_back(e);
    }
    if (!ok) {
        // Kafka rebuilds a lost cache from what followers learn; Strata starts afresh.
        spdlog::warn("storage: ignoring malformed {}", (dir_ / file_name).string());
        return;
    }
    entries_ = std::move(entries);
}

result<void, errc> leader_epoch_cache::persist() {
    std::ostringstream out;
    out << "0\n" << entries_.size() << "\n";
    for (const auto& e : entries_) out << e.epoch << " " << e.start_offset << "\n";
    auto text = out.str();
    return write_file_atomically(dir_ / file_name, {reinterpret_cast<const uint8_t*>(text.data()), text.size()}, true);
}

result<void, errc> leader_epoch_cache::assign(int32_t epoch, int64_t start_offset) {
    if (epoch < 0) return {};
    if (!entries_.empty() && epoch <= entries_.back().epoch) return {};
    // An epoch that began where the previous one did replaces it: that epoch wrote nothing.
    if (!entries_.empty() && entries_.back().start_offset >= start_offset) entries_.pop_back();
    entries_.push_back({epoch, start_offset});
    return persist();
}

result<void, errc> leader_epoch_cache::truncate_from_end(int64_t offset) {
    const auto before = entries_.size();
    std::erase_if(entries_, [&](const epoch_entry& e) { return e.start_offset >= offset; });
    if (entries_.size() == before) return {};
    return persist();
}

result<void, errc> leader_epoch_cache::truncate_from_start(int64_t offset) {
    // The last epoch that began at or before `offset` now begins there.
    auto first_kept = std::find_if(entries_.begin(), entries_.end(),
                                   [&](const epoch_entry& e) { return e.start_offset > offset; });
    if (first_kept == entries_.begin()) return {};
    auto in_force = std::prev(first_kept);
    if (in_force == entries_.begin() && in_force->start_offset == offset) return {};
    in_force->start_offset = offset;
    entries_.erase(entries_.begin(), in_force);
    return persist();
}

result<void, errc> leader_epoch_cache::clear() {
    if (entries_.empty()) return {};
    entries_.clear();
    return persist();
}

std::optional<std::pair<int32_t, int64_t>> leader_epoch_cache::end_offset_for(int32_t epoch, int64_t log_end) const {
    if (entries_.empty() || epoch < entries_.front().epoch) return std::nullopt;
    // The first epoch above the requested one.
    auto next = std::upper_bound(entries_.begin(), entries_.end(), epoch,
                                 [](int32_t e, const epoch_entry& entry) { return e < entry.epoch; });
    auto found = std::prev(next);
    return std::pair{found->epoch, next == entries_.end() ? log_end : next->start_offset};
}

std::optional<int32_t> leader_epoch_cache::latest_epoch() const {
    if (entries_.empty()) return std::nullopt;
    return entries_.back().epoch;
}

} // namespace strata::storage
