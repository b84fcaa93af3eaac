#include "strata/coordinator/offset_store.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "strata/cluster/commit_wait.h"
#include "strata/coordinator/offsets_topic.h"
#include "strata/kafka/protocol/messages/consumer_offsets.h"
#include "strata/storage/batch_builder.h"
#include "strata/storage/compression.h"
#include "strata/storage/record_batch.h"
#include "strata/storage/record_reader.h"

namespace strata::coordinator {
namespace {

namespace msg = kafka::msg;

// The versions Strata writes: key v1 (offset commit), value v3, or v1 for
// an offset with its own expiry time (as Kafka does; v1 has no leader epoch).
constexpr int16_t commit_key_version = 1;
constexpr int16_t commit_value_version = 3;
constexpr int16_t expiring_commit_value_version = 1;
constexpr int16_t group_key_version = 2;
constexpr int16_t consumer_group_key_version = 3;

std::vector<uint8_t> encode_commit_key(const std::string& group, const std::string& topic, int32_t partition) {
    kafka::writer w;
    w.write_int16(commit_key_version);
    msg::offset_commit_key{group, topic, partition}.encode(w, commit_key_version);
    return w.buffer();
}

std::vector<uint8_t> encode_commit_value(const committed_offset& c) {
    const int16_t version = c.expire_timestamp >= 0 ? expiring_commit_value_version : commit_value_version;
    kafka::writer w;
    w.write_int16(version);
    msg::offset_commit_value v;
    v.offset = c.offset;
    v.leader_epoch = c.leader_epoch;
    v.metadata = c.metadata;
    v.commit_timestamp = c.commit_timestamp;
    v.expire_timestamp = c.expire_timestamp;
    v.encode(w, version);
    return w.buffer();
}

} // namespace

offset_store::offset_store(cluster::topic_table& topics, cluster::group_commit& commits, int32_t partitions,
                           std::chrono::milliseconds commit_timeout)
    : topics_(topics), commits_(commits), partitions_(partitions), commit_timeout_(commit_timeout) {}

int32_t offset_store::partition_of(std::string_view group) const { return offsets_partition_for(group, partitions_); }

bool offset_store::load_partition(int32_t partition, const group_record_fn& on_group_record,
                                  const consumer_group_record_fn& on_consumer_group_record) {
    auto* p = topics_.find(topic_partition{std::string(offsets_topic_name), partition_id(partition)});
    if (!p || !p->has_log()) return false;
    if (!replay(*p, on_group_record, on_consumer_group_record)) return false;
    loaded_.insert(partition);
    return true;
}

void offset_store::unload_partition(int32_t partition) {
    loaded_.erase(partition);
    std::erase_if(offsets_, [&](const auto& entry) { return partition_of(entry.first) == partition; });
}

bool offset_store::replay(cluster::partition& p, const group_record_fn& on_group_record,
                          const consumer_group_record_fn& on_consumer_group_record) {
    auto& log = p.log();
    int64_t next = log.log_start_offset();
    const int64_t end = log.log_end_offset();
    std::vector<uint8_t> chunk, plain;
    storage::decompressor codec;
    while (next < end) {
        auto read = log.read(next, 4 << 20, end);
        if (!read || read->slice.size == 0) break;
        chunk.resize(read->slice.size);
        auto got = read->slice.file->pread(chunk, read->slice.position);
        if (!got || *got != chunk.size()) return false;
        for (size_t pos = 0; pos + storage::batch_header_size <= chunk.size();) {
            auto h = storage::batch_header::decode(chunk.data() + pos);
            std::span<const uint8_t> batch(chunk.data() + pos, h.size_bytes());
            pos += h.size_bytes();
            next = h.last_offset() + 1;
            if (h.is_control()) continue;
            std::span<const uint8_t> body = batch.subspan(storage::batch_header_size);
            if (h.compression() != storage::compression_type::none) {
                if (!codec.decompress(h.compression(), body, plain)) return false;
                body = plain;
            }
            storage::record_reader records(body, h.records_count);
            storage::record_view rec;
            for (;;) {
                auto more = records.next(rec);
                if (!more) return false;
                if (!*more) break;
                if (rec.key_is_null || rec.key.size() < 2) continue;
                std::vector<uint8_t> key(rec.key.begin(), rec.key.end());
                kafka::reader kr(key);
                int16_t version = kr.read_int16();
                if (version == 0 || version == 1) {
                    msg::offset_commit_key k;
                    k.decode(kr, version);
                    if (!kr.ok()) continue;
                    const int64_t log_offset = h.base_offset + rec.offset_delta;
                    if (rec.value_is_null) {
                        apply(k.group, k.topic, k.partition, std::nullopt, log_offset);
                        continue;
                    }
                    std::vector<uint8_t> value(rec.value.begin(), rec.value.end());
                    kafka::reader vr(value);
                    int16_t vv = vr.read_int16();
                    msg::offset_commit_value v;
                    v.decode(vr, vv);
                    if (!vr.ok()) continue;
                    apply(k.group, k.topic, k.partition,
                          committed_offset{v.offset, v.leader_epoch, v.metadata, v.commit_timestamp,
                                           v.expire_timestamp, log_offset},
                          log_offset);
                } else if (version == group_key_version && on_group_record) {
                    msg::group_metadata_key k;
                    k.decode(kr, version);
                    if (!kr.ok()) continue;
                    if (rec.value_is_null)
                        on_group_record(k.group, std::nullopt);
                    else
                        on_group_record(k.group, rec.value);
                } else if (version == consumer_group_key_version && on_consumer_group_record) {
                    msg::consumer_group_metadata_key k;
                    k.decode(kr, version);
                    if (!kr.ok()) continue;
                    if (rec.value_is_null) {
                        on_consumer_group_record(k.group, std::nullopt);
                        continue;
                    }
                    std::vector<uint8_t> value(rec.value.begin(), rec.value.end());
                    kafka::reader vr(value);
                    const int16_t vv = vr.read_int16();
                    msg::consumer_group_metadata_value v;
                    v.decode(vr, vv);
                    if (vr.ok()) on_consumer_group_record(k.group, v.epoch);
                }
            }
        }
    }
    return true;
}

void offset_store::apply(const std::string& group, const std::string& topic, int32_t partition,
                         std::optional<committed_offset> value, int64_t log_offset) {
    if (!value) {
        auto g = offsets_.find(group);
        if (g == offsets_.end()) return;
        auto t = g->second.find(topic);
        if (t == g->second.end()) return;
        // A commit written after the tombstone (expiry racing a commit) stays.
        if (auto p = t->second.find(partition); p != t->second.end() && p->second.log_offset > log_offset) return;
        t->second.erase(partition);
        if (t->second.empty()) g->second.erase(t);
        if (g->second.empty()) offsets_.erase(g);
        return;
    }
    auto& slot = offsets_[group][topic][partition];
    if (value->log_offset >= slot.log_offset) slot = std::move(*value);
}

boost::asio::awaitable<std::optional<int64_t>> offset_store::append(const std::string& group,
                                                                    std::vector<record_kv> records, int64_t now_ms) {
    if (!ensure_topic(now_ms)) co_return std::nullopt;
    auto* p = topics_.find(topic_partition{std::string(offsets_topic_name),
                                           partition_id(offsets_partition_for(group, partitions_))});
    if (!p || !p->is_leader()) co_return std::nullopt;
    storage::batch_builder builder;
    for (const auto& r : records) {
        std::optional<std::span<const uint8_t>> value;
        if (r.value) value = std::span<const uint8_t>(*r.value);
        builder.add({std::span<const uint8_t>(r.key), value, now_ms, {}});
    }
    auto batch = builder.build();
    if (!batch) co_return std::nullopt;
    auto appended = p->log().append(*batch, p->leader_epoch(), now_ms);
    if (!appended) {
        spdlog::error("cannot append to {}: {}", p->id().topic, storage::to_string(appended.error()));
        co_return std::nullopt;
    }
    p->notify_append();
    const auto tp = p->id();
    const bool replicated = p->replicated();
    const auto deadline = std::chrono::steady_clock::now() + commit_timeout_;
    if (!co_await commits_.wait_durable(p->log(), appended->last_offset)) co_return std::nullopt;
    // As Kafka's coordinators write with acks=all: state that only this
    // broker has would be lost with it.
    if (replicated) {
        auto ex = co_await boost::asio::this_coro::executor;
        const auto outcome = co_await cluster::wait_committed(ex, topics_, tp, appended->last_offset, deadline);
        if (outcome != cluster::commit_outcome::committed) co_return std::nullopt;
    }
    co_return appended->base_offset;
}

boost::asio::awaitable<bool> offset_store::commit(const std::string& group, std::vector<offset_commit_entry> entries,
                                                  int64_t now_ms) {
    if (entries.empty()) co_return true;
    std::vector<record_kv> records;
    records.reserve(entries.size());
    for (auto& e : entries) {
        if (e.value.commit_timestamp < 0) e.value.commit_timestamp = now_ms;
        records.push_back({encode_commit_key(group, e.topic, e.partition), encode_commit_value(e.value)});
    }
    ++in_flight_[group];
    auto base = co_await append(group, std::move(records), now_ms);
    if (base) {
        for (size_t i = 0; i < entries.size(); ++i) {
            entries[i].value.log_offset = *base + int64_t(i);
            apply(group, entries[i].topic, entries[i].partition, std::move(entries[i].value), *base + int64_t(i));
        }
    }
    if (--in_flight_[group] == 0) {
        in_flight_.erase(group);
        if (auto it = settle_waiters_.find(group); it != settle_waiters_.end()) {
            for (auto& w : it->second) w->wake();
            settle_waiters_.erase(it);
        }
    }
    co_return base.has_value();
}

boost::asio::awaitable<bool> offset_store::remove(const std::string& group,
                                                  std::vector<std::pair<std::string, int32_t>> partitions,
                                                  int64_t now_ms) {
    if (partitions.empty()) {
        if (const auto* all = offsets_of(group))
            for (const auto& [topic, parts] : *all)
                for (const auto& [partition, c] : parts) partitions.emplace_back(topic, partition);
    }
    if (partitions.empty()) co_return true;
    std::vector<record_kv> records;
    for (const auto& [topic, partition] : partitions)
        records.push_back({encode_commit_key(group, topic, partition), std::nullopt});
    auto base = co_await append(group, std::move(records), now_ms);
    if (!base) co_return false;
    for (size_t i = 0; i < partitions.size(); ++i)
        apply(group, partitions[i].first, partitions[i].second, std::nullopt, *base + int64_t(i));
    co_return true;
}

boost::asio::awaitable<bool> offset_store::append_group_record(const std::string& group,
                                                               std::optional<std::vector<uint8_t>> value,
                                                               int64_t now_ms) {
    kafka::writer w;
    w.write_int16(group_key_version);
    msg::group_metadata_key{group}.encode(w, group_key_version);
    std::vector<record_kv> records;
    records.push_back({w.buffer(), std::move(value)});
    co_return (co_await append(group, std::move(records), now_ms)).has_value();
}

boost::asio::awaitable<bool> offset_store::append_consumer_group_record(const std::string& group,
                                                                        std::optional<int32_t> epoch, int64_t now_ms) {
    kafka::writer key;
    key.write_int16(consumer_group_key_version);
    msg::consumer_group_metadata_key{group}.encode(key, consumer_group_key_version);
    std::optional<std::vector<uint8_t>> value;
    if (epoch) {
        kafka::writer w;
        w.write_int16(0);
        msg::consumer_group_metadata_value v;
        v.epoch = *epoch;
        v.encode(w, 0);
        value = w.buffer();
    }
    std::vector<record_kv> records;
    records.push_back({key.buffer(), std::move(value)});
    co_return (co_await append(group, std::move(records), now_ms)).has_value();
}

boost::asio::awaitable<void> offset_store::settled(const std::string& group) {
    while (in_flight_.contains(group)) {
        auto w = std::make_shared<cluster::waiter>(co_await boost::asio::this_coro::executor);
        w->timer.expires_at(boost::asio::steady_timer::time_point::max());
        settle_waiters_[group].push_back(w);
        boost::system::error_code ignored;
        co_await w->timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
    }
}

bool offset_store::ensure_topic(int64_t now_ms) {
    const bool existed = topics_.find(offsets_topic_name) != nullptr;
    auto* topic = ensure_offsets_topic(topics_, partitions_, now_ms);
    if (!topic) return false;
    partitions_ = int32_t(topic->partitions.size());
    // Created here and now (a single broker): there is nothing to replay.
    if (!existed)
        for (int32_t p = 0; p < partitions_; ++p)
            if (topic->partitions[size_t(p)]->is_leader()) loaded_.insert(p);
    return true;
}

const committed_offset* offset_store::find(std::string_view group, std::string_view topic, int32_t partition) const {
    const auto* g = offsets_of(group);
    if (!g) return nullptr;
    auto t = g->find(topic);
    if (t == g->end()) return nullptr;
    auto p = t->second.find(partition);
    return p == t->second.end() ? nullptr : &p->second;
}

const group_offsets* offset_store::offsets_of(std::string_view group) const {
    auto it = offsets_.find(group);
    return it == offsets_.end() ? nullptr : &it->second;
}

} // namespace strata::coordinator
