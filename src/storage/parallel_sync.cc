#include "strata/storage/parallel_sync.h"

#include <map>

#include "strata/storage/file_sync.h"

namespace strata::storage {

parallel_sync::parallel_sync(size_t helpers) {
    helpers_.reserve(helpers);
    for (size_t i = 0; i < helpers; ++i)
        helpers_.emplace_back([this] { helper_loop(); });
}

parallel_sync::~parallel_sync() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    work_cv_.notify_all();
    for (auto& t : helpers_) t.join();
}

std::vector<bool> parallel_sync::sync(std::span<const std::shared_ptr<segment_file>> files) {
    std::vector<size_t> slot(files.size());
    std::map<const segment_file*, size_t> seen;
    for (size_t i = 0; i < files.size(); ++i)
        slot[i] = seen.try_emplace(files[i].get(), seen.size()).first->second;
    if (seen.size() > helpers_.size() + 1) return sync_files(files);

    std::unique_lock lock(mu_);
    round_.assign(seen.size(), nullptr);
    for (size_t i = 0; i < files.size(); ++i)
        round_[slot[i]] = files[i].get();
    ok_.assign(round_.size(), 0);
    next_ = 0;
    unfinished_ = round_.size();
    if (round_.size() > 1) work_cv_.notify_all();
    while (sync_one(lock)) {
    }
    done_cv_.wait(lock, [&] { return unfinished_ == 0; });
    std::vector<bool> ok(files.size());
    for (size_t i = 0; i < files.size(); ++i)
        ok[i] = ok_[slot[i]] != 0;
    return ok;
}

bool parallel_sync::sync_one(std::unique_lock<std::mutex>& lock) {
    if (next_ >= round_.size()) return false;
    size_t mine = next_++;
    segment_file* file = round_[mine];
    lock.unlock();
    bool synced = bool(file->sync());  // logs its own failure
    lock.lock();
    ok_[mine] = synced;
    if (--unfinished_ == 0) done_cv_.notify_one();
    return true;
}

void parallel_sync::helper_loop() {
    std::unique_lock lock(mu_);
    for (;;) {
        work_cv_.wait(lock, [&] { return stopping_ || next_ < round_.size(); });
        if (stopping_) return;
        sync_one(lock);
    }
}

} // namespace strata::storage
