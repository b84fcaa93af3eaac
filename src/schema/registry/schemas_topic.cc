#include "strata/schema/schemas_topic.h"

#include <boost/asio/this_coro.hpp>
#include <spdlog/spdlog.h>

#include "strata/cluster/commit_wait.h"
#include "strata/storage/batch_builder.h"
#include "strata/storage/log_records.h"

namespace strata::schema {
namespace {

std::string_view text_of(std::span<const uint8_t> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

} // namespace

schemas_topic::schemas_topic(cluster::topic_table& topics, cluster::group_commit& commits)
    : topics_(topics), commits_(commits) {}

cluster::partition* schemas_topic::partition() {
    return topics_.find(topic_partition{std::string(schemas_topic_name), partition_id(0)});
}

bool schemas_topic::replay(int64_t from, int64_t to, const std::function<void(const registry_record&)>& apply) {
    auto* p = partition();
    if (!p || !p->has_log()) return true;
    size_t skipped = 0;
    auto scanned = storage::for_each_record(p->log(), from, to, [&](int64_t offset, const storage::record_view& rec) {
        if (offset < from || offset >= to || rec.key_is_null) return;
        std::optional<std::string_view> value;
        if (!rec.value_is_null) value = text_of(rec.value);
        if (auto r = decode_record(text_of(rec.key), value))
            apply(*r);
        else
            ++skipped;
    });
    if (!scanned) {
        spdlog::error("cannot read {}: {}", schemas_topic_name, storage::to_string(scanned.error()));
        return false;
    }
    // NOOP records and kinds Strata does not use are expected; say how many.
    if (skipped) spdlog::debug("{}: skipped {} records of kinds the registry does not use", schemas_topic_name, skipped);
    return true;
}

cluster::partition* schemas_topic::ensure_partition(int64_t now_ms) {
    topic_partition tp{std::string(schemas_topic_name), partition_id(0)};
    if (auto* p = topics_.find(tp)) return p->is_leader() ? p : nullptr;
    auto created = topics_.create_topic(std::string(schemas_topic_name), 1,
                                        cluster::schema_validation_config::switched_off({{"cleanup.policy", "compact"}}),
                                        now_ms);
    if (!created) {
        if (created.error() != cluster::errc::creation_in_progress) spdlog::error("cannot create {}", schemas_topic_name);
        return nullptr;
    }
    return topics_.find(tp);
}

boost::asio::awaitable<bool> schemas_topic::append(const std::vector<registry_record>& records, int64_t now_ms) {
    auto* p = ensure_partition(now_ms);
    if (!p || records.empty()) co_return p != nullptr;
    std::vector<encoded_record> encoded;
    encoded.reserve(records.size());
    for (const auto& r : records) encoded.push_back(encode_record(r));
    storage::batch_builder builder;
    for (const auto& e : encoded) {
        std::optional<std::span<const uint8_t>> value;
        if (e.value) value = storage::bytes_of(*e.value);
        builder.add({storage::bytes_of(e.key), value, now_ms, {}});
    }
    auto batch = builder.build();
    if (!batch) co_return false;
    auto appended = p->log().append(*batch, p->leader_epoch(), now_ms);
    if (!appended) {
        spdlog::error("cannot append to {}: {}", schemas_topic_name, storage::to_string(appended.error()));
        co_return false;
    }
    p->notify_append();
    const auto tp = p->id();
    const bool replicated = p->replicated();
    const auto deadline = std::chrono::steady_clock::now() + commit_timeout_;
    if (!co_await commits_.wait_durable(p->log(), appended->last_offset)) co_return false;
    if (!replicated) co_return true;
    auto ex = co_await boost::asio::this_coro::executor;
    co_return co_await cluster::wait_committed(ex, topics_, tp, appended->last_offset, deadline) ==
        cluster::commit_outcome::committed;
}

} // namespace strata::schema
