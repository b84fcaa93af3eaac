#pragma once
// The part of etcd's v3 data model Strata uses: keys with revisions and
// leases, compare-and-swap transactions, leases and watch events. Plain
// values, shared by the JSON codec and the client.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata::cluster::etcd {

enum class errc : uint8_t {
    unavailable = 1,   // no endpoint answered (connection refused or reset)
    timeout,           // a request took longer than the request timeout
    bad_response,      // an answer that is not what etcd sends
    compacted,         // a watch asked for revisions etcd no longer keeps
    lease_not_found,   // the lease expired or was revoked
    canceled,          // the caller stopped the stream
    server_error,      // etcd answered with an error (logged with its message)
};

const char* to_string(errc e);

struct key_value {
    std::string key;
    std::string value;
    int64_t create_revision = 0;
    int64_t mod_revision = 0;
    int64_t version = 0;
    int64_t lease = 0;
};

struct range_response {
    int64_t revision = 0;  // the store's revision when it was read
    std::vector<key_value> kvs;
};

enum class compare_target : uint8_t { version, create_revision, mod_revision, value, lease };
enum class compare_op : uint8_t { equal, greater, less, not_equal };

struct compare {
    std::string key;
    compare_target target = compare_target::create_revision;
    compare_op op = compare_op::equal;
    int64_t number = 0;  // for version, create_revision, mod_revision, lease
    std::string value;   // for value

    // The key does not exist (its create revision is 0).
    static compare absent(std::string key) { return {std::move(key), compare_target::create_revision, compare_op::equal, 0, {}}; }
    // Nobody changed the key since it was read at `revision` (0: it must not exist).
    static compare unchanged_since(std::string key, int64_t revision) {
        return {std::move(key), compare_target::mod_revision, compare_op::equal, revision, {}};
    }
};

struct request_op {
    enum class kind : uint8_t { range, put, delete_range };
    kind op = kind::range;
    std::string key;
    std::string range_end;  // empty: the key alone
    std::string value;
    int64_t lease = 0;

    static request_op get(std::string key) { return {kind::range, std::move(key), {}, {}, 0}; }
    static request_op put(std::string key, std::string value, int64_t lease = 0) {
        return {kind::put, std::move(key), {}, std::move(value), lease};
    }
    static request_op erase(std::string key) { return {kind::delete_range, std::move(key), {}, {}, 0}; }
};

struct txn_response {
    bool succeeded = false;
    int64_t revision = 0;
    // One per range operation of the branch that ran, in order.
    std::vector<range_response> ranges;
};

struct lease_grant {
    int64_t id = 0;
    int64_t ttl_s = 0;
};

enum class event_type : uint8_t { put, erase };

struct watch_event {
    event_type type = event_type::put;
    key_value kv;  // for an erase, the key and its mod revision only
};

// One message of a watch stream.
struct watch_message {
    bool created = false;
    bool canceled = false;
    int64_t compact_revision = 0;  // set when canceled because history was compacted
    int64_t revision = 0;
    std::vector<watch_event> events;
};

// The range end that selects every key starting with `prefix`.
std::string prefix_end(std::string_view prefix);

} // namespace strata::cluster::etcd
