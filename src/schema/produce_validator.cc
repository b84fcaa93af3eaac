#include "strata/schema/produce_validator.h"

#include <chrono>
#include <csignal>
#include <cstdlib>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "strata/schema/dead_letter.h"
#include "strata/storage/batch_filter.h"
#include "strata/storage/record_batch.h"

namespace strata::schema {

const char* to_string(errc e) {
    switch (e) {
    case errc::corrupt_batch: return "the records could not be decoded for schema validation";
    case errc::dead_letter_write_failed: return "the dead-letter topic could not be written";
    case errc::dead_letter_unavailable: return "the dead-letter partition is not available yet";
    }
    return "schema validation failed";
}

namespace {

validated_batch rejection(const batch_verdict& verdict, std::string message) {
    validated_batch out;
    out.what = validated_batch::outcome::rejected;
    out.message = std::move(message);
    for (const auto& r : verdict.rejected) out.errors.push_back({r.index, r.failure.reason});
    return out;
}

} // namespace

produce_validator::produce_validator(cluster::topic_table& topics, metrics::registry& metrics)
    : topics_(topics), probe_(metrics), crash_after_dead_letters_(std::getenv(crash_after_dead_letters_env) != nullptr) {
    if (crash_after_dead_letters_)
        spdlog::warn("{} is set: the broker kills itself after its first dead-letter write (a test fault)",
                     crash_after_dead_letters_env);
}

result<validated_batch, errc> produce_validator::validate(cluster::topic& topic, cluster::partition& p,
                                                          std::span<const uint8_t> batch, bool durable,
                                                          int64_t now_ms) {
    // A retry of a batch already appended is answered by append() with the
    // original offsets. Checking it again could only change the answer (a
    // schema deleted since would refuse what was appended) and would count
    // its records twice.
    auto producer = p.log().check_producer(storage::batch_header::decode(batch.data()));
    if (producer ? producer->duplicate : producer.error() == storage::errc::duplicate_sequence) return validated_batch{};

    const auto started = std::chrono::steady_clock::now();
    if (lookup_) lookup_->catch_up();
    record_checker records(lookup_, topic.name, topic.validation);
    auto verdict = checker_.check(batch, records);
    if (!verdict) return fail(errc::corrupt_batch);
    probe_.checked(topic.name, size_t(verdict->records),
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    if (verdict->rejected.empty()) return validated_batch{};

    const auto& first = verdict->rejected.front();
    auto summary = fmt::format("{} of {} records failed schema validation; record {}: {}", verdict->rejected.size(),
                               verdict->records, first.index, first.failure.reason);
    if (topic.validation.on_failure == cluster::validation_failure::reject) {
        probe_.rejected(topic.name, verdict->rejected.size());
        return rejection(*verdict, std::move(summary));
    }

    // A batch the producer state refuses goes to append() unchanged, which
    // answers it with the producer error; nothing is dead-lettered.
    if (!producer) return validated_batch{};

    std::string why_not;
    bool retriable = false;
    auto* dlq = dead_letter_partition(topic, p.id().partition.value(), now_ms, why_not, retriable);
    if (!dlq && retriable) {
        spdlog::info("dead-letter topic {} not available yet ({}): a batch for {} is refused for a retry",
                     topic.validation.dlq_topic, why_not, topic.name);
        return fail(errc::dead_letter_unavailable);
    }
    if (!dlq) {
        probe_.rejected(topic.name, verdict->rejected.size());
        return rejection(*verdict, fmt::format("{} (dead-letter topic {} unavailable: {})", summary,
                                               topic.validation.dlq_topic, why_not));
    }
    const auto h = storage::batch_header::decode(batch.data());
    auto letters = build_dead_letter_batch({topic.name, p.id().partition.value(), h.base_timestamp}, verdict->rejected);
    if (!letters) return fail(errc::corrupt_batch);
    validated_batch out;
    if (dlq->is_leader()) {
        if (auto r = write_locally(*dlq, *letters, durable, now_ms); !r) return fail(r.error());
        if (crash_after_dead_letters_) {
            spdlog::critical("{}: killing the broker after the dead-letter write to {}, before the append to {}",
                             crash_after_dead_letters_env, dlq->id().topic, p.id().topic);
            spdlog::default_logger()->flush();
            std::raise(SIGKILL);
        }
    } else {
        out.letters = std::move(*letters);
        out.remote_dead_letters = dlq->id();
    }

    std::vector<bool> keep(size_t(verdict->records), true);
    for (const auto& r : verdict->rejected) keep[size_t(r.index)] = false;
    auto filtered = storage::filter_batch(batch, verdict->records_section, keep);
    if (!filtered) return fail(errc::corrupt_batch);
    // Counted when routed: a remote write that then fails refuses the batch,
    // and the producer's retry counts its records again.
    probe_.dead_lettered(topic.name, verdict->rejected.size());
    out.what = validated_batch::outcome::routed;
    out.replacement = std::move(*filtered);
    out.dead_lettered = verdict->rejected.size();
    return out;
}

result<void, errc> produce_validator::write_locally(cluster::partition& dlq, std::span<uint8_t> letters,
                                                    bool durable, int64_t now_ms) {
    auto appended = dlq.log().append(letters, dlq.leader_epoch(), now_ms);
    if (!appended) {
        spdlog::error("cannot append to dead-letter topic {}: {}", dlq.id().topic, storage::to_string(appended.error()));
        return fail(errc::dead_letter_write_failed);
    }
    dlq.notify_append();
    if (durable) {
        auto flush = dlq.log().prepare_flush();
        if (auto r = flush.sync(); !r) {
            spdlog::error("cannot sync dead-letter topic {}: {}", dlq.id().topic, storage::to_string(r.error()));
            return fail(errc::dead_letter_write_failed);
        }
        dlq.log().mark_durable(flush.offset);
    }
    return {};
}

cluster::partition* produce_validator::dead_letter_partition(const cluster::topic& source, int32_t partition,
                                                             int64_t now_ms, std::string& why_not, bool& retriable) {
    const auto& name = source.validation.dlq_topic;
    if (name == source.name) {
        why_not = "it is the topic itself";
        return nullptr;
    }
    auto* dlq = topics_.find(name);
    if (!dlq) {
        // Created on demand with the source's partition count, so source
        // partition p maps to dead-letter partition p and keeps its order.
        // Never validated itself, whatever the broker-wide defaults say: its
        // records are the ones that failed, and a `<topic>.dlq.dlq` would
        // surprise everyone.
        auto created = topics_.create_topic(name, int32_t(source.partitions.size()),
                                            cluster::schema_validation_config::switched_off(), now_ms);
        if (!created) {
            // A cluster creates it in the background: the producer retries.
            retriable = created.error() == cluster::errc::creation_in_progress;
            why_not = "it cannot be created (" + std::string(cluster::to_string(created.error())) + ")";
            return nullptr;
        }
        dlq = *created;
    }
    if (dlq->partitions.empty()) {
        why_not = "it has no partitions";
        return nullptr;
    }
    auto* target = dlq->partitions[size_t(partition) % dlq->partitions.size()].get();
    if (target->assignment().leader < 0) {
        retriable = true;
        why_not = "its partition " + std::to_string(target->id().partition()) + " has no leader";
        return nullptr;
    }
    return target;
}

} // namespace strata::schema
