#include "strata/cluster/producer_id_blocks.h"

#include <charconv>

namespace strata::cluster {

namespace {

// Built outside the coroutine: GCC 12 miscompiles braced lists inside them.
std::vector<etcd::compare> unchanged(const std::string& key, int64_t mod_revision) {
    std::vector<etcd::compare> c;
    c.push_back(etcd::compare::unchanged_since(key, mod_revision));
    return c;
}

std::vector<etcd::request_op> put(const std::string& key, int64_t end) {
    std::vector<etcd::request_op> ops;
    ops.push_back(etcd::request_op::put(key, std::to_string(end)));
    return ops;
}

} // namespace

std::string producer_id_block_key(std::string_view prefix) { return std::string(prefix) + "/producer_id_block_end"; }

boost::asio::awaitable<result<int64_t, errc>> reserve_producer_id_block(etcd::client& etcd, std::string prefix,
                                                                        int64_t size) {
    const auto key = producer_id_block_key(prefix);
    // Brokers racing for blocks each win soon: every lost round means another got one.
    for (int attempt = 0; attempt < 20; ++attempt) {
        auto current = co_await etcd.get(key);
        if (!current) co_return fail(errc::metadata_unavailable);
        int64_t start = 0;
        int64_t mod_revision = 0;
        if (!current->kvs.empty()) {
            const auto& v = current->kvs.front().value;
            auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), start);
            if (ec != std::errc{} || start < 0) co_return fail(errc::metadata_unavailable);
            mod_revision = current->kvs.front().mod_revision;
        }
        auto r = co_await etcd.txn(unchanged(key, mod_revision), put(key, start + size));
        if (!r) co_return fail(errc::metadata_unavailable);
        if (r->succeeded) co_return start;
    }
    co_return fail(errc::metadata_unavailable);
}

} // namespace strata::cluster
