#include "strata/cluster/etcd/etcd_client.h"

#include "strata/cluster/etcd/etcd_json.h"

namespace strata::cluster::etcd {

namespace asio = boost::asio;

namespace {

std::string put_if_absent_request(const std::string& key, const std::string& value, int64_t lease) {
    return json::txn_request({compare::absent(key)}, {request_op::put(key, value, lease)}, {request_op::get(key)});
}

} // namespace

client::client(asio::any_io_executor executor, std::vector<endpoint> endpoints,
               std::chrono::milliseconds request_timeout)
    : transport_(std::move(executor), std::move(endpoints), request_timeout) {}

asio::awaitable<result<range_response, errc>> client::get(std::string key) {
    auto body = co_await transport_.post("/v3/kv/range", json::range_request(key, {}));
    if (!body) co_return fail(body.error());
    co_return json::parse_range(*body);
}

asio::awaitable<result<range_response, errc>> client::get_prefix(std::string prefix) {
    auto body = co_await transport_.post("/v3/kv/range", json::range_request(prefix, prefix_end(prefix)));
    if (!body) co_return fail(body.error());
    co_return json::parse_range(*body);
}

asio::awaitable<result<int64_t, errc>> client::put(std::string key, std::string value, int64_t lease) {
    auto body = co_await transport_.post("/v3/kv/put", json::put_request(key, value, lease));
    if (!body) co_return fail(body.error());
    co_return json::parse_write(*body);
}

asio::awaitable<result<int64_t, errc>> client::erase(std::string key) {
    auto body = co_await transport_.post("/v3/kv/deleterange", json::delete_request(key, {}));
    if (!body) co_return fail(body.error());
    co_return json::parse_write(*body);
}

asio::awaitable<result<txn_response, errc>> client::txn(std::vector<compare> compares, std::vector<request_op> success,
                                                        std::vector<request_op> failure) {
    auto body = co_await transport_.post("/v3/kv/txn", json::txn_request(compares, success, failure));
    if (!body) co_return fail(body.error());
    co_return json::parse_txn(*body);
}

asio::awaitable<result<txn_response, errc>> client::put_if_absent(std::string key, std::string value, int64_t lease) {
    // Built outside the coroutine: GCC 12 miscompiles braced lists in coroutine bodies.
    auto request = put_if_absent_request(key, value, lease);
    auto body = co_await transport_.post("/v3/kv/txn", std::move(request));
    if (!body) co_return fail(body.error());
    co_return json::parse_txn(*body);
}

asio::awaitable<result<lease_grant, errc>> client::grant_lease(int64_t ttl_s) {
    auto body = co_await transport_.post("/v3/lease/grant", json::lease_grant_request(ttl_s));
    if (!body) co_return fail(body.error());
    co_return json::parse_lease_grant(*body);
}

asio::awaitable<result<int64_t, errc>> client::keep_alive(int64_t lease) {
    auto body = co_await transport_.post("/v3/lease/keepalive", json::lease_id_request(lease));
    if (!body) co_return fail(body.error());
    co_return json::parse_keep_alive(*body);
}

asio::awaitable<result<void, errc>> client::revoke_lease(int64_t lease) {
    auto body = co_await transport_.post("/v3/lease/revoke", json::lease_id_request(lease));
    if (!body) co_return fail(body.error());
    co_return result<void, errc>{};
}

asio::awaitable<result<void, errc>> client::watch_prefix(std::string prefix, int64_t from_revision,
                                                         std::function<bool(const watch_message&)> on_message,
                                                         std::shared_ptr<stream_canceller> canceller) {
    errc ended = errc::unavailable;
    auto r = co_await transport_.stream(
        "/v3/watch", json::watch_create_request(prefix, prefix_end(prefix), from_revision),
        [&](std::string_view line) {
            auto message = json::parse_watch_message(line);
            if (!message) {
                ended = message.error();
                return false;
            }
            if (message->canceled) {
                ended = message->compact_revision > 0 ? errc::compacted : errc::server_error;
                return false;
            }
            if (!on_message(*message)) {
                ended = errc::canceled;
                return false;
            }
            return true;
        },
        std::move(canceller));
    if (!r) co_return fail(r.error());
    // The stream stopped because a message said so.
    co_return fail(ended);
}

} // namespace strata::cluster::etcd
