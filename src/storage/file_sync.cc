#include "strata/storage/file_sync.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>

#include <map>

#include <spdlog/spdlog.h>

namespace strata::storage {

namespace {

bool syncfs_retrying(const segment_file& f) {
    while (::syncfs(f.fd()) != 0) {
        if (errno != EINTR) {
            spdlog::error("storage: syncfs (via {}): {}", f.path(), std::strerror(errno));
            return false;
        }
    }
    return true;
}

} // namespace

std::vector<bool> sync_files(std::span<const std::shared_ptr<segment_file>> files) {
    std::vector<bool> ok(files.size(), true);
    // Files of each filesystem, by index into `files`; a file listed twice counts once.
    std::map<dev_t, std::vector<size_t>> by_device;
    std::map<const segment_file*, size_t> first_seen;
    std::vector<size_t> duplicate_of(files.size(), SIZE_MAX);
    for (size_t i = 0; i < files.size(); ++i) {
        auto [it, fresh] = first_seen.try_emplace(files[i].get(), i);
        if (!fresh) {
            duplicate_of[i] = it->second;
            continue;
        }
        by_device[files[i]->device()].push_back(i);
    }
    for (const auto& [dev, idx] : by_device) {
        if (idx.size() == 1) {
            ok[idx[0]] = bool(files[idx[0]]->sync());
            continue;
        }
        bool synced = syncfs_retrying(*files[idx[0]]);
        for (size_t i : idx)
            ok[i] = synced;
    }
    for (size_t i = 0; i < files.size(); ++i)
        if (duplicate_of[i] != SIZE_MAX)
            ok[i] = ok[duplicate_of[i]];
    return ok;
}

} // namespace strata::storage
