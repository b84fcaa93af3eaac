#include "strata/kafka/server/handlers/fetch.h"

#include <algorithm>
#include <chrono>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "strata/cluster/read_replica.h"
#include "strata/kafka/server/errors.h"
#include "strata/kafka/server/time.h"

namespace strata::kafka::server {
namespace {

namespace asio = boost::asio;
using partition_data = msg::fetch_response::partition_data;

// One partition to read, from the request or from the session.
struct target {
    target(std::string topic_name, uuid id, int32_t partition_index, int64_t offset, int32_t max)
        : topic(std::move(topic_name)), topic_id(id), partition(partition_index), fetch_offset(offset), max_bytes(max) {}
    std::string topic;
    uuid topic_id;
    int32_t partition;
    int64_t fetch_offset;
    int32_t max_bytes;
    // From the request (KIP-320): the leader epoch the fetcher believes in, and
    // the epoch of the last batch a follower has (-1: not sent).
    int32_t current_leader_epoch = -1;
    int32_t last_fetched_epoch = -1;
    session_partition* in_session = nullptr;
    cluster::partition* p = nullptr;
    // KIP-392: the follower this consumer should read from instead (-1: here).
    int32_t preferred_read_replica = -1;
    // The high watermark before a follower's fetch was recorded, or at a consumer's first read.
    int64_t first_high_watermark = -1;
    error_code resolve_error = error_code::none;
    partition_data result;
    // Records in `result` at or after the fetch offset (for metrics).
    int64_t records_out = 0;
};

// The fetching replica (a follower), or -1 for a consumer.
int32_t fetching_replica(request_context& ctx, const msg::fetch_request& req) {
    return ctx.api_version >= 15 ? req.replica_state.replica_id : req.replica_id;
}

// Consumers from Fetch v11 (which carries the client's rack) may read from
// a follower (KIP-392); followers fetch from the leader only.
bool may_read_here(const request_context& ctx, const cluster::partition& p, int32_t replica) {
    return p.is_leader() || (replica < 0 && ctx.api_version >= 11 && p.is_follower());
}

void resolve(request_context& ctx, target& t, bool by_id, int32_t replica) {
    cluster::topic* topic = by_id ? ctx.server.topics.find(t.topic_id) : ctx.server.topics.find(t.topic);
    if (!topic) {
        t.resolve_error = by_id ? error_code::unknown_topic_id : error_code::unknown_topic_or_partition;
        return;
    }
    t.topic = topic->name;
    t.topic_id = topic->id;
    t.p = ctx.server.topics.find(topic_partition{topic->name, partition_id(t.partition)});
    if (!t.p)
        t.resolve_error = error_code::unknown_topic_or_partition;
    else if (!may_read_here(ctx, *t.p, replica))
        t.resolve_error = error_code::not_leader_or_follower;
    else if (replica >= 0 && std::ranges::find(t.p->assignment().replicas, replica) == t.p->assignment().replicas.end())
        t.resolve_error = error_code::not_leader_or_follower;
    else if (t.current_leader_epoch > t.p->leader_epoch())
        t.resolve_error = error_code::unknown_leader_epoch;
    else if (t.current_leader_epoch >= 0 && t.current_leader_epoch < t.p->leader_epoch())
        t.resolve_error = error_code::fenced_leader_epoch;
}

// A follower whose last fetched epoch ends earlier here than where it fetches
// from has diverged from this leader: it is told where to truncate to
// (KIP-320) instead of getting records. That epoch and end offset, or
// nothing when the follower's log is a prefix of this one.
std::optional<msg::fetch_response::epoch_end_offset> divergence(const target& t) {
    if (t.last_fetched_epoch < 0) return std::nullopt;
    auto& log = t.p->log();
    auto end = log.leader_epochs().end_offset_for(t.last_fetched_epoch, log.log_end_offset());
    if (end && end->second >= t.fetch_offset && end->first == t.last_fetched_epoch) return std::nullopt;
    msg::fetch_response::epoch_end_offset out;
    out.epoch = end ? end->first : -1;
    out.end_offset = end ? end->second : log.log_start_offset();
    return out;
}

// Reads every target once; returns the bytes gathered. A follower reads up
// to the log end, a consumer up to the high watermark.
size_t read_all(std::vector<target>& targets, int32_t response_max_bytes, bool follower) {
    size_t total = 0;
    size_t budget = response_max_bytes > 0 ? size_t(response_max_bytes) : 0;
    for (auto& t : targets) {
        auto& r = t.result;
        r = partition_data{};
        t.records_out = 0;
        r.partition_index = t.partition;
        if (t.resolve_error != error_code::none) {
            r.error_code = code(t.resolve_error);
            r.high_watermark = -1;
            continue;
        }
        auto& log = t.p->log();
        r.high_watermark = t.p->high_watermark();
        r.last_stable_offset = r.high_watermark;
        r.log_start_offset = log.log_start_offset();
        r.error_code = code(error_code::none);
        r.preferred_read_replica = t.preferred_read_replica;
        if (t.preferred_read_replica >= 0) continue;  // no records: the consumer goes there
        if (follower) {
            if (auto d = divergence(t)) {
                r.diverging_epoch = *d;
                continue;
            }
        }
        if (t.max_bytes <= 0 || (total > 0 && total >= budget)) continue;
        size_t limit = std::min<size_t>(size_t(t.max_bytes), total > 0 ? budget - total : budget);
        auto read = log.read(t.fetch_offset, std::max<size_t>(limit, 1),
                             follower ? log.log_end_offset() : r.high_watermark);
        if (!read) {
            r.error_code = code(to_kafka_error(read.error()));
            continue;
        }
        const auto& slice = read->slice;
        // KIP-74: the first batch may exceed the limits so consumers always progress;
        // after that, a batch that does not fit waits for the next fetch.
        if (slice.size == 0 || (total > 0 && slice.size > limit)) continue;
        t.records_out = std::max<int64_t>(0, read->last_offset - t.fetch_offset + 1);
        r.records = records::from_regions(
            {file_region{std::static_pointer_cast<const void>(slice.file), slice.file->fd(), slice.position,
                         slice.size}});
        total += slice.size;
    }
    return total;
}

// An error, or a consumer sent to another replica, is answered at once; so
// is a follower once the high watermark moved: its consumers (KIP-392) and
// its schema registry see committed records without waiting out the poll.
bool answer_now(std::vector<target>& targets, bool follower) {
    bool now = false;
    for (auto& t : targets) {
        if (t.result.error_code != 0 || t.preferred_read_replica >= 0) now = true;
        if (t.first_high_watermark < 0) t.first_high_watermark = t.result.high_watermark;
        if (follower && t.result.high_watermark > t.first_high_watermark) now = true;
    }
    return now;
}

// Opens, continues or closes the request's fetch session; fills `targets`.
// Returns a top-level error (session not found / wrong epoch) or none.
error_code apply_session(request_context& ctx, msg::fetch_request& req, msg::fetch_response& resp,
                         std::vector<target>& targets, bool& incremental) {
    auto& cache = ctx.server.fetch_sessions;
    const bool by_id = ctx.api_version >= 13;
    auto from_request = [&] {
        for (auto& topic : req.topics)
            for (auto& p : topic.partitions) {
                auto& t = targets.emplace_back(topic.topic, topic.topic_id, p.partition, p.fetch_offset,
                                               p.partition_max_bytes);
                t.current_leader_epoch = p.current_leader_epoch;
                t.last_fetched_epoch = p.last_fetched_epoch;
            }
    };
    incremental = false;
    if (ctx.api_version < 7 || req.session_epoch == -1) {
        // Sessionless full fetch; a final epoch also closes the named session.
        if (ctx.api_version >= 7 && req.session_id != 0) cache.remove(req.session_id);
        from_request();
        return error_code::none;
    }
    if (req.session_epoch == 0) {
        if (req.session_id != 0) cache.remove(req.session_id);
        auto& s = cache.create();
        from_request();
        for (auto& t : targets) {
            s.partitions.push_back(session_partition{t.topic, t.topic_id, t.partition, t.fetch_offset, t.max_bytes});
        }
        for (size_t i = 0; i < targets.size(); ++i) targets[i].in_session = &s.partitions[i];
        resp.session_id = s.id;
        return error_code::none;
    }
    auto* s = cache.find(req.session_id);
    if (!s) return error_code::fetch_session_id_not_found;
    if (req.session_epoch != s->next_epoch) return error_code::invalid_fetch_session_epoch;
    ++s->next_epoch;
    incremental = true;
    // Forget first: a partition may be forgotten and re-added in one request.
    for (auto& f : req.forgotten_topics_data) {
        std::erase_if(s->partitions, [&](const session_partition& sp) {
            bool same_topic = by_id ? sp.topic_id == f.topic_id : sp.topic == f.topic;
            if (!same_topic) return false;
            for (auto p : f.partitions)
                if (p == sp.partition) return true;
            return false;
        });
    }
    for (auto& topic : req.topics) {
        for (auto& p : topic.partitions) {
            session_partition* sp = nullptr;
            for (auto& existing : s->partitions) {
                bool same_topic = by_id ? existing.topic_id == topic.topic_id : existing.topic == topic.topic;
                if (same_topic && existing.partition == p.partition) sp = &existing;
            }
            if (!sp) {
                s->partitions.push_back(session_partition{topic.topic, topic.topic_id, p.partition, 0, 0});
                sp = &s->partitions.back();
            }
            sp->fetch_offset = p.fetch_offset;
            sp->max_bytes = p.partition_max_bytes;
        }
    }
    for (auto& sp : s->partitions) {
        auto& t = targets.emplace_back(sp.topic, sp.topic_id, sp.partition, sp.fetch_offset, sp.max_bytes);
        t.in_session = &sp;
    }
    resp.session_id = s->id;
    return error_code::none;
}

session_partition* find_in_session(fetch_session& s, const target& t, bool by_id) {
    for (auto& sp : s.partitions)
        if (sp.partition == t.partition && (by_id ? sp.topic_id == t.topic_id : sp.topic == t.topic)) return &sp;
    return nullptr;
}

// An incremental response names a partition only when something about it changed.
bool worth_sending(const target& t) {
    if (!t.in_session) return true;
    const auto& r = t.result;
    return r.records.size() > 0 || r.error_code != 0 || r.high_watermark != t.in_session->sent_high_watermark ||
           r.log_start_offset != t.in_session->sent_log_start_offset;
}

} // namespace

asio::awaitable<fetch_handler::response> fetch_handler::handle(request_context& ctx, request& req) {
    response resp;
    std::vector<target> targets;
    bool incremental = false;
    if (auto e = apply_session(ctx, req, resp, targets, incremental); e != error_code::none) {
        resp.error_code = code(e);
        co_return resp;
    }
    const bool by_id = ctx.api_version >= 13;
    const int32_t replica = fetching_replica(ctx, req);
    for (auto& t : targets) resolve(ctx, t, by_id, replica);
    // A follower's fetch offset is its log end: what it has, which may move
    // the high watermark (and complete acks=all produces).
    if (replica >= 0) {
        const int64_t now = wall_clock_ms();
        for (auto& t : targets) {
            if (t.resolve_error != error_code::none) continue;
            // A fetch that moves the high watermark is answered at once: the
            // follower learns it without waiting out its poll.
            t.first_high_watermark = t.p->high_watermark();
            if (!divergence(t)) t.p->record_follower_fetch(replica, t.fetch_offset, now);
        }
    }

    // A consumer in another rack than the leader may be sent to a follower in its own.
    if (replica < 0 && ctx.api_version >= 11 && ctx.server.settings.rack_aware_replica_selector) {
        for (auto& t : targets)
            if (t.resolve_error == error_code::none)
                t.preferred_read_replica =
                    cluster::preferred_read_replica(*t.p, ctx.server.brokers, req.rack_id, t.fetch_offset);
    }

    // Long poll: read, and if there is not enough yet, park until an append
    // to one of the partitions or the deadline.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(req.max_wait_ms, 0));
    for (;;) {
        size_t bytes = read_all(targets, req.max_bytes, replica >= 0);
        if (bytes >= size_t(std::max(req.min_bytes, 0)) || answer_now(targets, replica >= 0) ||
            std::chrono::steady_clock::now() >= deadline || targets.empty())
            break;
        auto w = std::make_shared<cluster::waiter>(ctx.server.executor);
        w->timer.expires_at(deadline);
        for (auto& t : targets)
            if (t.p) t.p->add_fetch_waiter(w);
        boost::system::error_code ec;
        co_await w->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        // While we waited, partitions may have been deleted and the session
        // evicted: look both up again instead of trusting old pointers.
        fetch_session* session = resp.session_id != 0 ? ctx.server.fetch_sessions.find(resp.session_id) : nullptr;
        for (auto& t : targets) {
            t.resolve_error = error_code::none;
            resolve(ctx, t, by_id, replica);
            if (t.in_session) t.in_session = session ? find_in_session(*session, t, by_id) : nullptr;
        }
    }

    // Group partitions by topic, in target order, as Kafka does.
    for (auto& t : targets) {
        if (incremental && !worth_sending(t)) continue;
        if (t.in_session) {
            t.in_session->sent_high_watermark = t.result.high_watermark;
            t.in_session->sent_log_start_offset = t.result.log_start_offset;
            t.in_session->sent_error = t.result.error_code;
        }
        if (t.result.records.size() > 0) ctx.server.probe.fetched(t.topic, t.result.records.size(), t.records_out);
        if (resp.responses.empty() || resp.responses.back().topic != t.topic ||
            resp.responses.back().topic_id != t.topic_id) {
            auto& topic_out = resp.responses.emplace_back();
            topic_out.topic = t.topic;
            topic_out.topic_id = t.topic_id;
        }
        resp.responses.back().partitions.push_back(std::move(t.result));
    }
    co_return resp;
}

} // namespace strata::kafka::server
