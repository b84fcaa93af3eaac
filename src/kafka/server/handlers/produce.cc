#include "strata/kafka/server/handlers/produce.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include <fmt/format.h>

#include "strata/cluster/commit_wait.h"
#include "strata/kafka/server/errors.h"
#include "strata/kafka/server/produce_pipeline.h"
#include "strata/kafka/server/remote_produce.h"
#include "strata/kafka/server/time.h"
#include "strata/storage/batch_validator.h"
#include "strata/storage/log_records.h"

namespace strata::kafka::server {
namespace {

using partition_response = msg::produce_response::partition_produce_response;

// A successful append still waiting for its acks=all durability (and, for
// a replicated partition, for the in-sync replicas to have it).
struct pending_ack {
    partition_response* response;
    storage::log* log;
    int64_t last_offset;
    topic_partition tp;
    bool replicated;
};

void set_error(partition_response& out, error_code e, const char* message = nullptr) {
    out.error_code = code(e);
    out.base_offset = -1;
    if (message) out.error_message = message;
}

// Schema validation refused records: INVALID_RECORD with one error per record,
// as Kafka's produce response (v8+) carries them.
void reject_records(partition_response& out, const schema::validated_batch& checked) {
    set_error(out, error_code::invalid_record);
    out.error_message = checked.message;
    for (const auto& e : checked.errors) {
        auto& r = out.record_errors.emplace_back();
        r.batch_index = e.index;
        r.batch_index_error_message = e.message;
    }
}

// A compacted topic keeps the latest record per key, so Kafka refuses records
// without one: INVALID_RECORD, with an error for each such record.
void reject_keyless(partition_response& out, std::span<const uint8_t> batch, const topic_partition& tp) {
    auto message = fmt::format("Compacted topic cannot accept message without key in topic partition {}-{}.",
                               tp.topic, tp.partition());
    set_error(out, error_code::invalid_record);
    out.error_message = message;
    storage::decompressor codec;
    std::vector<uint8_t> plain;
    int32_t index = 0;
    // The batch was validated deep already, so it decodes.
    (void)storage::for_each_batch_record(batch, codec, plain, [&](int64_t, const storage::record_view& r) {
        if (r.key_is_null) {
            auto& e = out.record_errors.emplace_back();
            e.batch_index = index;
            e.batch_index_error_message = message;
        }
        ++index;
    });
}

// A partition whose append waits for its dead letters to reach another broker.
struct deferred_append {
    partition_response* response;
    topic_partition tp;
    schema::validated_batch checked;
    int64_t total_records;
};

void append_records(request_context& ctx, cluster::partition& p, std::span<uint8_t> to_append,
                    partition_response& out, std::vector<pending_ack>& pending, int16_t acks, uint64_t records);

// Validates and appends one partition's records; fills `out`.
void append_partition(request_context& ctx, cluster::topic& topic, cluster::partition& p, kafka::records& records,
                      partition_response& out, std::vector<pending_ack>& pending, std::vector<deferred_append>& deferred,
                      int16_t acks) {
    auto& log = p.log();
    storage::validation_limits limits;
    limits.max_message_bytes = log.config().max_message_bytes;
    limits.deep = true;          // decode every record, as Kafka's LogValidator does
    limits.single_batch = true;  // Produce v3+ carries exactly one batch per partition
    auto bytes = records.bytes();
    auto summary = storage::validate_batches(bytes, limits);
    if (!summary) {
        auto e = summary.error();
        // Kafka's ProduceRequest.validateRecords: v3+ takes magic 2 only, else INVALID_RECORD.
        auto kafka_error = e == storage::errc::unsupported_magic ? error_code::invalid_record : to_kafka_error(e);
        set_error(out, kafka_error, storage::to_string(e));
        return;
    }
    if (log.config().cleanup_compact && !summary->all_records_have_keys) {
        reject_keyless(out, bytes, p.id());
        return;
    }
    // Kafka's guard for acks=all: too few in-sync replicas, nothing appended.
    if (acks == -1 && p.replicated() &&
        int32_t(p.assignment().isr.size()) < ctx.server.topics.min_insync_replicas(topic)) {
        set_error(out, error_code::not_enough_replicas);
        if (auto batch = produce_pipeline::identify(bytes))
            produce_pipeline::of(ctx.connection).failed(p.id(), *batch, error_code::not_enough_replicas);
        return;
    }
    std::span<uint8_t> to_append = bytes;
    schema::validated_batch checked;
    if (topic.validation.enabled()) {
        auto v = ctx.server.validation.validate(topic, p, bytes, acks == -1, wall_clock_ms());
        if (!v) {
            set_error(out, to_kafka_error(v.error()), schema::to_string(v.error()));
            return;
        }
        checked = std::move(*v);
        if (checked.what == schema::validated_batch::outcome::rejected) {
            reject_records(out, checked);
            return;
        }
        if (checked.what == schema::validated_batch::outcome::routed) to_append = checked.replacement;
    }
    if (checked.remote_dead_letters) {
        // The dead letters go to their leader on another broker first.
        deferred.push_back({&out, p.id(), std::move(checked), summary->total_records});
        return;
    }
    append_records(ctx, p, to_append, out, pending, acks, uint64_t(summary->total_records) - checked.dead_lettered);
}

// Appends checked records to the log of `p`, which this broker leads; fills `out`.
void append_records(request_context& ctx, cluster::partition& p, std::span<uint8_t> to_append,
                    partition_response& out, std::vector<pending_ack>& pending, int16_t acks, uint64_t records) {
    auto& log = p.log();
    const auto batch = produce_pipeline::identify(to_append);
    auto appended = log.append(to_append, p.leader_epoch(), wall_clock_ms());
    if (!appended) {
        if (appended.error() == storage::errc::out_of_order_sequence && batch) {
            // Sent behind a batch this connection saw fail: the producer
            // resends both, in order, once that answer reaches it.
            if (auto earlier = produce_pipeline::of(ctx.connection).behind_failure(p.id(), *batch)) {
                spdlog::info("{}-{}: producer {} sequence {} was sent behind a batch answered {}; answering it the "
                             "same", p.id().topic, p.id().partition(), batch->producer_id, batch->base_sequence,
                             error_name(*earlier));
                set_error(out, *earlier);
                return;
            }
        }
        set_error(out, to_kafka_error(appended.error()), storage::to_string(appended.error()));
        return;
    }
    if (batch) produce_pipeline::of(ctx.connection).appended(p.id(), batch->producer_id);
    out.error_code = code(error_code::none);
    out.base_offset = appended->base_offset;
    out.log_append_time_ms = appended->log_append_time;
    out.log_start_offset = appended->log_start_offset;
    // A retry older than the batches remembered: Kafka's clients take
    // DUPLICATE_SEQUENCE_NUMBER as delivered (offset unknown), so it too is
    // answered only once what precedes the oldest remembered batch is committed.
    if (appended->offsets_unknown) out.error_code = code(error_code::duplicate_sequence_number);
    if (!appended->duplicate) {
        p.notify_append();
        ctx.server.probe.produced(p.id().topic, to_append.size(), records);
    }
    // A retry the log already holds is acknowledged when the original would
    // be: once durable and committed. (Answered at once, a retry after a
    // lost answer acknowledged records no follower had yet; the next leader
    // did not have them.)
    if (acks == -1) pending.push_back({&out, &log, appended->last_offset, p.id(), p.replicated()});
}

// A routed batch whose dead-letter partition another broker leads: the dead
// letters are produced there (acks=all) and, once acknowledged, the valid
// records appended here. A failed dead-letter write refuses the whole batch
// with the leader's (retriable) error, as a local one does.
boost::asio::awaitable<void> complete_routed(request_context& ctx, deferred_append& d, std::vector<pending_ack>& pending,
                                            int16_t acks, std::chrono::steady_clock::time_point deadline) {
    const auto e = co_await produce_to_leader(ctx.server, *d.checked.remote_dead_letters, d.checked.letters, deadline);
    if (e != error_code::none) {
        set_error(*d.response, e, "the dead-letter partition's leader did not take the dead letters");
        co_return;
    }
    // Looked up again: the topic may be gone, or led elsewhere now.
    auto* p = ctx.server.topics.find(d.tp);
    if (!p || !p->is_leader()) {
        set_error(*d.response, error_code::not_leader_or_follower);
        co_return;
    }
    append_records(ctx, *p, d.checked.replacement, *d.response, pending, acks,
                   uint64_t(d.total_records) - d.checked.dead_lettered);
}

// acks=all on a replicated partition: until the high watermark passes the
// append, leadership moves away, or the request's timeout.
boost::asio::awaitable<void> await_replication(request_context& ctx, const pending_ack& ack,
                                               std::chrono::steady_clock::time_point deadline) {
    switch (co_await cluster::wait_committed(ctx.server.executor, ctx.server.topics, ack.tp, ack.last_offset,
                                             deadline)) {
    case cluster::commit_outcome::committed:
        // Kafka still refuses the ack when the ISR shrank below the minimum meanwhile.
        if (const auto* topic = ctx.server.topics.find(ack.tp.topic); topic) {
            const auto* p = ctx.server.topics.find(ack.tp);
            if (p && int32_t(p->assignment().isr.size()) < ctx.server.topics.min_insync_replicas(*topic))
                set_error(*ack.response, error_code::not_enough_replicas_after_append);
        }
        break;
    case cluster::commit_outcome::not_leader:
        // The records stay in the log if the next leader has them; the
        // producer's retry finds them as duplicates then.
        spdlog::info("{}-{}: leadership moved before offset {} was committed; answering NOT_LEADER_OR_FOLLOWER",
                     ack.tp.topic, ack.tp.partition(), ack.last_offset);
        set_error(*ack.response, error_code::not_leader_or_follower);
        break;
    case cluster::commit_outcome::timed_out:
        set_error(*ack.response, error_code::request_timed_out);
        break;
    }
}

} // namespace

boost::asio::awaitable<produce_handler::response> produce_handler::handle(request_context& ctx, request& req) {
    response resp;
    const bool valid_acks = req.acks == -1 || req.acks == 0 || req.acks == 1;
    std::vector<pending_ack> pending;
    std::vector<deferred_append> deferred;
    resp.responses.reserve(req.topic_data.size());  // pending_ack points into it
    for (auto& topic_data : req.topic_data) {
        auto& topic_out = resp.responses.emplace_back();
        topic_out.name = topic_data.name;
        topic_out.topic_id = topic_data.topic_id;
        cluster::topic* topic = ctx.api_version >= 13 ? ctx.server.topics.find(topic_data.topic_id)
                                                      : ctx.server.topics.find(topic_data.name);
        topic_out.partition_responses.reserve(topic_data.partition_data.size());
        for (auto& pd : topic_data.partition_data) {
            auto& out = topic_out.partition_responses.emplace_back();
            out.index = pd.index;
            if (!valid_acks) {
                set_error(out, error_code::invalid_required_acks);
                continue;
            }
            if (!topic) {
                set_error(out, ctx.api_version >= 13 ? error_code::unknown_topic_id
                                                     : error_code::unknown_topic_or_partition);
                continue;
            }
            auto* p = ctx.server.topics.find(topic_partition{topic->name, partition_id(pd.index)});
            if (!p) {
                set_error(out, error_code::unknown_topic_or_partition);
                continue;
            }
            if (!p->is_leader()) {
                set_error(out, error_code::not_leader_or_follower);
                if (auto batch = produce_pipeline::identify(pd.records.bytes()))
                    produce_pipeline::of(ctx.connection).failed(p->id(), *batch, error_code::not_leader_or_follower);
                continue;
            }
            append_partition(ctx, *topic, *p, pd.records, out, pending, deferred, req.acks);
        }
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(req.timeout_ms, 0));
    for (auto& d : deferred) co_await complete_routed(ctx, d, pending, req.acks, deadline);
    // Every append of this request waits at once, so they share one group-commit round.
    if (!pending.empty()) {
        std::vector<cluster::group_commit::target> targets;
        targets.reserve(pending.size());
        for (const auto& ack : pending) targets.push_back({ack.log, ack.last_offset});
        co_await ctx.server.commits.wait_durable(targets);
        for (size_t i = 0; i < pending.size(); ++i)
            if (!targets[i].durable)
                set_error(*pending[i].response, error_code::kafka_storage_error, "the data could not be made durable");
        for (size_t i = 0; i < pending.size(); ++i)
            if (targets[i].durable && pending[i].replicated)
                co_await await_replication(ctx, pending[i], deadline);
    }
    if (req.acks == 0) {
        ctx.suppress_response = true;
        // With no response to carry an error, Kafka closes the connection so the
        // producer notices and refreshes its metadata.
        for (const auto& t : resp.responses)
            for (const auto& p : t.partition_responses)
                if (p.error_code != 0) ctx.close_connection = true;
    }
    co_return resp;
}

} // namespace strata::kafka::server
