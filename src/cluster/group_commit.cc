#include "strata/cluster/group_commit.h"

#include <chrono>

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

namespace strata::cluster {

namespace asio = boost::asio;

group_commit::group_commit(asio::any_io_executor ex, std::function<void(double)> on_sync)
    : ex_(std::move(ex)), on_sync_(std::move(on_sync)), flusher_([this] { flusher_loop(); }) {}

group_commit::~group_commit() { stop(); }

void group_commit::stop() {
    {
        std::lock_guard lock(mu_);
        if (stopping_) return;
        stopping_ = true;
    }
    cv_.notify_all();
    if (flusher_.joinable()) flusher_.join();
}

asio::awaitable<bool> group_commit::wait_durable(storage::log& log, int64_t last_offset) {
    target one{&log, last_offset};
    co_await wait_durable(std::span<target>(&one, 1));
    co_return one.durable;
}

asio::awaitable<void> group_commit::wait_durable(std::span<target> targets) {
    auto state = std::make_shared<wait_state>(ex_);
    state->targets = targets;
    for (size_t i = 0; i < targets.size(); ++i) {
        auto& t = targets[i];
        t.durable = t.log->durable_offset() > t.last_offset;
        if (t.durable) continue;
        waiting_[t.log].push_back(pending{t.last_offset, state, i});
        ++state->outstanding;
    }
    if (state->outstanding == 0) co_return;
    state->w.timer.expires_at(asio::steady_timer::time_point::max());
    schedule();
    boost::system::error_code ec;
    co_await state->w.timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

void group_commit::settle(const pending& p, bool ok) {
    p.state->targets[p.index].durable = ok;
    if (--p.state->outstanding == 0) p.state->w.wake();
}

void group_commit::forget(storage::log& log) {
    auto it = waiting_.find(&log);
    if (it == waiting_.end()) return;
    auto list = std::move(it->second);
    waiting_.erase(it);
    for (auto& p : list) settle(p, false);
}

void group_commit::schedule() {
    if (!round_in_flight_ && !waiting_.empty()) start_round();
}

void group_commit::start_round() {
    std::vector<job> jobs;
    for (auto& [log, list] : waiting_) jobs.push_back(job{log, log->prepare_flush()});
    round_in_flight_ = true;
    {
        std::lock_guard lock(mu_);
        rounds_.push_back(std::move(jobs));
    }
    cv_.notify_one();
}

void group_commit::flusher_loop() {
    for (;;) {
        std::vector<job> jobs;
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [&] { return stopping_ || !rounds_.empty(); });
            if (rounds_.empty()) return;
            jobs = std::move(rounds_.front());
            rounds_.pop_front();
        }
        auto start = std::chrono::steady_clock::now();
        // Every job's files in one call, synced side by side (parallel_sync.h).
        std::vector<std::shared_ptr<storage::segment_file>> files;
        for (const auto& j : jobs)
            files.insert(files.end(), j.request.files.begin(), j.request.files.end());
        auto synced = syncer_.sync(files);
        size_t next = 0;
        for (auto& j : jobs) {
            for (size_t n = 0; n < j.request.files.size(); ++n)
                j.ok = j.ok && synced[next++];
            if (!j.ok)
                spdlog::error("storage: sync failed for {} (up to offset {})", j.log->dir().string(), j.request.offset);
        }
        double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (on_sync_) on_sync_(seconds);
        asio::post(ex_, [this, jobs = std::move(jobs)]() mutable { on_round_done(std::move(jobs)); });
    }
}

void group_commit::on_round_done(std::vector<job> jobs) {
    round_in_flight_ = false;
    for (auto& j : jobs) {
        auto it = waiting_.find(j.log);
        if (it == waiting_.end()) continue;  // forgotten while syncing
        if (j.ok) j.log->mark_durable(j.request.offset);
        auto& list = it->second;
        std::erase_if(list, [&](pending& p) {
            if (j.ok && p.offset >= j.log->durable_offset()) return false;
            settle(p, j.ok);
            return true;
        });
        if (list.empty()) waiting_.erase(it);
    }
    schedule();
}

} // namespace strata::cluster
