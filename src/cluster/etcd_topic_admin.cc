#include "strata/cluster/etcd_topic_admin.h"

#include <random>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

#include "strata/cluster/replica_placement.h"
#include "strata/cluster/topic_records.h"

namespace strata::cluster {

namespace asio = boost::asio;

namespace {

// etcd refuses transactions of more than --max-txn-ops operations (128 by default).
constexpr size_t max_ops_per_txn = 100;

std::vector<etcd::request_op> partition_puts(std::string_view prefix, const kafka::uuid& id, int32_t first,
                                             const std::vector<std::vector<int32_t>>& replicas) {
    std::vector<etcd::request_op> ops;
    ops.reserve(replicas.size());
    for (size_t i = 0; i < replicas.size(); ++i) {
        partition_assignment a;
        a.replicas = replicas[i];
        a.isr = replicas[i];
        a.leader = replicas[i].front();
        ops.push_back(etcd::request_op::put(records::partition_key(prefix, id, first + int32_t(i)),
                                            records::encode_partition(a)));
    }
    return ops;
}

std::vector<etcd::compare> unchanged(std::string key, int64_t revision) {
    std::vector<etcd::compare> c;
    c.push_back(etcd::compare::unchanged_since(std::move(key), revision));
    return c;
}

// Built outside coroutines: GCC 12 miscompiles braced lists inside them.
std::vector<etcd::compare> no_compares() { return {}; }

std::vector<etcd::compare> absent(std::string key) {
    std::vector<etcd::compare> c;
    c.push_back(etcd::compare::absent(std::move(key)));
    return c;
}

std::vector<etcd::request_op> one(etcd::request_op op) {
    std::vector<etcd::request_op> ops;
    ops.push_back(std::move(op));
    return ops;
}

etcd::request_op erase_prefix(std::string prefix) {
    etcd::request_op op = etcd::request_op::erase(prefix);
    op.range_end = etcd::prefix_end(prefix);
    return op;
}

records::topic_value new_topic_value(int32_t partitions, config_map configs) {
    records::topic_value v;
    v.id = kafka::uuid::random();
    v.partitions = partitions;
    v.configs = std::move(configs);
    return v;
}

uint32_t random_seed() {
    static std::mt19937 rng{std::random_device{}()};
    return uint32_t(rng());
}

} // namespace

etcd_topic_admin::etcd_topic_admin(asio::any_io_executor executor, etcd::client& etcd, cluster_topic_state& state,
                                   const broker_directory& brokers, std::string prefix,
                                   std::chrono::milliseconds timeout)
    : executor_(std::move(executor)), etcd_(etcd), state_(state), brokers_(brokers), prefix_(std::move(prefix)),
      timeout_(timeout) {}

result<std::vector<std::vector<int32_t>>, errc> etcd_topic_admin::assign(
    const std::vector<std::vector<int32_t>>& given, int32_t count, int16_t replication_factor, int32_t first) const {
    if (!given.empty()) {
        for (const auto& replicas : given) {
            std::set<int32_t> distinct(replicas.begin(), replicas.end());
            if (replicas.empty() || distinct.size() != replicas.size() || replicas.size() != given.front().size())
                return fail(errc::invalid_replica_assignment);
            for (int32_t id : replicas)
                if (!brokers_.find(id)) return fail(errc::invalid_replica_assignment);
        }
        return given;
    }
    std::vector<placement_broker> live;
    for (const auto& [id, b] : brokers_.live()) live.push_back({id, b.rack});
    return place_replicas(std::move(live), count, replication_factor, first, random_seed());
}

asio::awaitable<result<void, errc>> etcd_topic_admin::put_all(std::vector<etcd::request_op> ops) {
    for (size_t from = 0; from < ops.size(); from += max_ops_per_txn) {
        const size_t to = std::min(ops.size(), from + max_ops_per_txn);
        std::vector<etcd::request_op> chunk(std::make_move_iterator(ops.begin() + ptrdiff_t(from)),
                                            std::make_move_iterator(ops.begin() + ptrdiff_t(to)));
        auto r = co_await etcd_.txn(no_compares(), std::move(chunk));
        if (!r) co_return fail(errc::metadata_unavailable);
    }
    co_return result<void, errc>{};
}

asio::awaitable<void> etcd_topic_admin::settle(int64_t revision) {
    // The write stands either way; a slow watch only means this broker learns of it later.
    const bool applied = co_await state_.wait_applied(revision, timeout_);
    if (!applied)
        spdlog::warn("the topic change of revision {} has not reached this broker after {} ms", revision,
                     timeout_.count());
}

asio::awaitable<result<kafka::uuid, errc>> etcd_topic_admin::create_topic(new_topic t) {
    if (state_.find(t.name)) co_return fail(errc::topic_already_exists);
    const int32_t count = t.assignments.empty() ? t.partitions : int32_t(t.assignments.size());
    if (count <= 0) co_return fail(errc::invalid_partitions);
    auto replicas = assign(t.assignments, count, t.replication_factor, 0);
    if (!replicas) co_return fail(replicas.error());
    auto value = new_topic_value(count, std::move(t.configs));
    auto ops = partition_puts(prefix_, value.id, 0, *replicas);
    const auto key = records::topic_key(prefix_, t.name);
    // Small topics in one transaction; large ones write their partitions
    // first, which nobody reads before the topic record names the id.
    std::vector<etcd::request_op> commit;
    if (ops.size() < max_ops_per_txn) {
        commit = std::move(ops);
    } else if (auto r = co_await put_all(std::move(ops)); !r) {
        co_return fail(r.error());
    }
    commit.push_back(etcd::request_op::put(key, records::encode_topic(value)));
    auto r = co_await etcd_.txn(absent(key), std::move(commit));
    if (!r) co_return fail(errc::metadata_unavailable);
    if (!r->succeeded) {
        // Someone else created it first: what this attempt wrote is nobody's.
        (void)co_await etcd_.txn(no_compares(), one(erase_prefix(records::topic_partitions_prefix(prefix_, value.id))));
        co_return fail(errc::topic_already_exists);
    }
    spdlog::info("created topic {} with {} partitions (id {})", t.name, count, value.id.to_base64());
    co_await settle(r->revision);
    co_return value.id;
}

asio::awaitable<result<void, errc>> etcd_topic_admin::delete_topic(std::string name) {
    const auto* known = state_.find(name);
    if (!known) co_return fail(errc::unknown_topic);
    const auto key = records::topic_key(prefix_, name);
    auto ops = one(etcd::request_op::erase(key));
    ops.push_back(erase_prefix(records::topic_partitions_prefix(prefix_, known->value.id)));
    auto r = co_await etcd_.txn(unchanged(key, known->mod_revision), std::move(ops));
    if (!r) co_return fail(errc::metadata_unavailable);
    if (!r->succeeded) co_return fail(errc::concurrent_change);
    spdlog::info("deleted topic {}", name);
    co_await settle(r->revision);
    co_return result<void, errc>{};
}

asio::awaitable<result<void, errc>> etcd_topic_admin::create_partitions(std::string name, int32_t total,
                                                                       std::vector<std::vector<int32_t>> assignments) {
    const auto* known = state_.find(name);
    if (!known) co_return fail(errc::unknown_topic);
    auto value = known->value;
    const int64_t read_at = known->mod_revision;
    if (total <= value.partitions) co_return fail(errc::invalid_partitions);
    int16_t replication_factor = 1;
    if (const auto* parts = state_.partitions_of(value.id); parts && !parts->empty())
        replication_factor = int16_t(parts->begin()->second.value.replicas.size());
    auto replicas = assign(assignments, total - value.partitions, replication_factor, value.partitions);
    if (!replicas) co_return fail(replicas.error());
    auto ops = partition_puts(prefix_, value.id, value.partitions, *replicas);
    std::vector<etcd::request_op> commit;
    if (ops.size() < max_ops_per_txn) {
        commit = std::move(ops);
    } else if (auto r = co_await put_all(std::move(ops)); !r) {
        co_return fail(r.error());
    }
    value.partitions = total;
    const auto key = records::topic_key(prefix_, name);
    commit.push_back(etcd::request_op::put(key, records::encode_topic(value)));
    auto r = co_await etcd_.txn(unchanged(key, read_at), std::move(commit));
    if (!r) co_return fail(errc::metadata_unavailable);
    if (!r->succeeded) co_return fail(errc::concurrent_change);
    co_await settle(r->revision);
    co_return result<void, errc>{};
}

asio::awaitable<result<void, errc>> etcd_topic_admin::set_configs(std::string name, config_map configs) {
    const auto* known = state_.find(name);
    if (!known) co_return fail(errc::unknown_topic);
    for (const auto& [k, v] : configs)
        if (topic_configs::validate(k, v)) co_return fail(errc::invalid_config);
    auto value = known->value;
    value.configs = std::move(configs);
    const auto key = records::topic_key(prefix_, name);
    auto r = co_await etcd_.txn(unchanged(key, known->mod_revision),
                                one(etcd::request_op::put(key, records::encode_topic(value))));
    if (!r) co_return fail(errc::metadata_unavailable);
    if (!r->succeeded) co_return fail(errc::concurrent_change);
    co_await settle(r->revision);
    co_return result<void, errc>{};
}

void etcd_topic_admin::create_in_background(new_topic t) {
    if (!creating_.insert(t.name).second) return;
    asio::co_spawn(executor_, create_unawaited(std::move(t)), asio::detached);
}

asio::awaitable<void> etcd_topic_admin::create_unawaited(new_topic t) {
    const auto name = t.name;
    auto r = co_await create_topic(std::move(t));
    if (!r && r.error() != errc::topic_already_exists)
        spdlog::warn("cannot create topic {}: {}", name, to_string(r.error()));
    creating_.erase(name);
}

} // namespace strata::cluster
