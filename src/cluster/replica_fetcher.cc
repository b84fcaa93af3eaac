#include "strata/cluster/replica_fetcher.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "strata/base/wall_clock.h"
#include "strata/cluster/broker_client.h"
#include "strata/kafka/protocol/messages/fetch.h"

namespace strata::cluster {

namespace asio = boost::asio;
namespace msg = kafka::msg;

namespace {

// Fetch v12: the first flexible version, with last_fetched_epoch and the
// diverging epoch, and topics by name (every Kafka 2.7+ broker serves it).
constexpr int16_t fetch_version = 12;

constexpr int16_t offset_out_of_range = 1;

// The fetch for every partition this broker follows from `leader`.
msg::fetch_request follower_fetch(topic_table& topics, int32_t leader, const replica_fetch_settings& s) {
    msg::fetch_request req;
    req.replica_id = topics.self();
    req.max_wait_ms = s.max_wait_ms;
    req.min_bytes = 1;
    req.max_bytes = s.max_bytes;
    req.session_id = 0;
    req.session_epoch = -1;  // sessionless: every partition named every time
    for (const auto& [name, t] : topics.topics()) {
        msg::fetch_request::fetch_topic* topic = nullptr;
        for (const auto& p : t->partitions) {
            if (!p->is_follower() || p->assignment().leader != leader) continue;
            if (!topic) {
                topic = &req.topics.emplace_back();
                topic->topic = name;
            }
            auto& fp = topic->partitions.emplace_back();
            fp.partition = p->id().partition();
            fp.current_leader_epoch = p->leader_epoch();
            fp.fetch_offset = p->log().log_end_offset();
            fp.last_fetched_epoch = p->log().leader_epochs().latest_epoch().value_or(-1);
            fp.log_start_offset = p->log().log_start_offset();
            fp.partition_max_bytes = s.partition_max_bytes;
        }
    }
    return req;
}

// Applies one partition's answer; false when it was an error to wait out.
bool apply(partition& p, msg::fetch_response::partition_data& r) {
    auto& log = p.log();
    if (r.diverging_epoch.epoch >= 0 || r.diverging_epoch.end_offset >= 0) {
        // Where this log's own record of that epoch ends, if earlier than the leader's.
        int64_t to = r.diverging_epoch.end_offset;
        if (auto mine = log.leader_epochs().end_offset_for(r.diverging_epoch.epoch, log.log_end_offset());
            mine && mine->first == r.diverging_epoch.epoch)
            to = std::min(to, mine->second);
        spdlog::info("{}-{}: diverged from the leader at epoch {}; truncating from {} to {}", p.id().topic,
                     p.id().partition(), r.diverging_epoch.epoch, log.log_end_offset(), to);
        if (auto t = log.truncate_to(to, wall_clock_ms()); !t)
            spdlog::error("{}-{}: truncation failed: {}", p.id().topic, p.id().partition(), storage::to_string(t.error()));
        p.clamp_high_watermark();
        return true;
    }
    if (r.error_code != 0) {
        if (r.error_code == offset_out_of_range && r.log_start_offset > log.log_end_offset()) {
            // Behind the leader's log start (a new or emptied replica, the
            // leader's retention): start over where the leader's log starts.
            spdlog::info("{}-{}: the leader's log starts at {}, past this replica's end {}; starting again there",
                         p.id().topic, p.id().partition(), r.log_start_offset, log.log_end_offset());
            if (auto t = log.restart_at(r.log_start_offset, wall_clock_ms()); !t) {
                spdlog::error("{}-{}: cannot restart the log: {}", p.id().topic, p.id().partition(),
                              storage::to_string(t.error()));
                return false;
            }
            p.clamp_high_watermark();
            return true;
        }
        if (r.error_code == offset_out_of_range)
            spdlog::warn("{}-{}: the leader no longer has offset {} (its log starts at {})", p.id().topic,
                         p.id().partition(), log.log_end_offset(), r.log_start_offset);
        return false;
    }
    auto bytes = r.records.bytes();
    if (!bytes.empty()) {
        auto appended = log.append_replicated(bytes, wall_clock_ms());
        if (!appended) {
            spdlog::warn("{}-{}: cannot append what the leader sent: {}", p.id().topic, p.id().partition(),
                         storage::to_string(appended.error()));
            return false;
        }
    }
    p.set_follower_high_watermark(r.high_watermark);
    return true;
}

} // namespace

replica_fetcher::replica_fetcher(asio::any_io_executor executor, topic_table& topics, const broker_directory& brokers,
                                 replica_fetch_settings settings)
    : executor_(std::move(executor)), topics_(topics), brokers_(brokers), settings_(settings) {}

void replica_fetcher::refresh() {
    if (stopping_) return;
    std::set<int32_t> leaders;
    for (const auto& [name, t] : topics_.topics())
        for (const auto& p : t->partitions)
            if (p->is_follower()) leaders.insert(p->assignment().leader);
    for (int32_t leader : leaders)
        if (running_.insert(leader).second) asio::co_spawn(executor_, fetch_from(leader), asio::detached);
}

asio::awaitable<void> replica_fetcher::pause(std::chrono::milliseconds d) {
    asio::steady_timer timer(executor_);
    timer.expires_after(d);
    boost::system::error_code ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

asio::awaitable<void> replica_fetcher::fetch_from(int32_t leader) {
    std::unique_ptr<broker_client> client;
    while (!stopping_) {
        auto req = follower_fetch(topics_, leader, settings_);
        if (req.topics.empty()) break;
        const auto* endpoint = brokers_.find(leader);
        if (!endpoint) {
            // The leader is gone; the controller elects another.
            co_await pause(settings_.backoff);
            continue;
        }
        if (!client || client->host() != endpoint->host || client->port() != endpoint->port)
            client = std::make_unique<broker_client>(executor_, endpoint->host, uint16_t(endpoint->port),
                                                     "strata-replica-" + std::to_string(topics_.self()));
        auto resp = co_await client->call<msg::fetch_request, msg::fetch_response>(
            req, fetch_version, settings_.request_timeout + std::chrono::milliseconds(settings_.max_wait_ms));
        if (!resp || (*resp)->body.error_code != 0) {
            co_await pause(settings_.backoff);
            continue;
        }
        bool waiting = false;
        for (auto& topic : (*resp)->body.responses) {
            for (auto& r : topic.partitions) {
                // Looked up again: the assignment may have moved while the fetch was out.
                auto* p = topics_.find(topic_partition{topic.topic, partition_id(r.partition_index)});
                if (!p || !p->is_follower() || p->assignment().leader != leader) continue;
                if (!apply(*p, r)) waiting = true;
            }
        }
        // Errors are waited out (the leader's answer outruns the metadata); data is fetched again at once.
        if (waiting) co_await pause(settings_.backoff);
    }
    running_.erase(leader);
}

} // namespace strata::cluster
