#include "strata/cluster/etcd/etcd_json.h"

#include <charconv>

#include <boost/json.hpp>

#include "strata/base/base64.h"

namespace strata::cluster::etcd::json {

namespace bj = boost::json;

namespace {

std::string number(int64_t v) { return std::to_string(v); }

// etcd writes int64 fields as strings, but accept plain numbers too.
int64_t int_field(const bj::object& o, std::string_view name) {
    auto it = o.find(name);
    if (it == o.end()) return 0;
    if (it->value().is_int64()) return it->value().as_int64();
    if (it->value().is_uint64()) return int64_t(it->value().as_uint64());
    if (!it->value().is_string()) return 0;
    const auto& s = it->value().as_string();
    int64_t v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

bool bool_field(const bj::object& o, std::string_view name) {
    auto it = o.find(name);
    return it != o.end() && it->value().is_bool() && it->value().as_bool();
}

// A base64 field; false when it is present but not base64.
bool bytes_field(const bj::object& o, std::string_view name, std::string& out) {
    auto it = o.find(name);
    if (it == o.end()) return true;
    if (!it->value().is_string()) return false;
    auto decoded = base64_decode(it->value().as_string());
    if (!decoded) return false;
    out = std::move(*decoded);
    return true;
}

const bj::object* object_field(const bj::object& o, std::string_view name) {
    auto it = o.find(name);
    return it != o.end() && it->value().is_object() ? &it->value().as_object() : nullptr;
}

const bj::array* array_field(const bj::object& o, std::string_view name) {
    auto it = o.find(name);
    return it != o.end() && it->value().is_array() ? &it->value().as_array() : nullptr;
}

int64_t header_revision(const bj::object& o) {
    const bj::object* h = object_field(o, "header");
    return h ? int_field(*h, "revision") : 0;
}

result<bj::object, errc> parse_object(std::string_view body) {
    boost::system::error_code ec;
    bj::value v = bj::parse(body, ec);
    if (ec || !v.is_object()) return fail(errc::bad_response);
    return std::move(v.as_object());
}

bool read_kv(const bj::object& o, key_value& kv) {
    kv.create_revision = int_field(o, "create_revision");
    kv.mod_revision = int_field(o, "mod_revision");
    kv.version = int_field(o, "version");
    kv.lease = int_field(o, "lease");
    return bytes_field(o, "key", kv.key) && bytes_field(o, "value", kv.value);
}

result<range_response, errc> read_range(const bj::object& o) {
    range_response out;
    out.revision = header_revision(o);
    if (const bj::array* kvs = array_field(o, "kvs")) {
        for (const auto& item : *kvs) {
            if (!item.is_object()) return fail(errc::bad_response);
            if (!read_kv(item.as_object(), out.kvs.emplace_back())) return fail(errc::bad_response);
        }
    }
    return out;
}

bj::object range_body(std::string_view key, std::string_view range_end) {
    bj::object o;
    o["key"] = base64_encode(key);
    if (!range_end.empty()) o["range_end"] = base64_encode(range_end);
    return o;
}

bj::object put_body(std::string_view key, std::string_view value, int64_t lease) {
    bj::object o;
    o["key"] = base64_encode(key);
    o["value"] = base64_encode(value);
    if (lease != 0) o["lease"] = number(lease);
    return o;
}

bj::object op_body(const request_op& op) {
    bj::object o;
    switch (op.op) {
    case request_op::kind::range: o["request_range"] = range_body(op.key, op.range_end); break;
    case request_op::kind::put: o["request_put"] = put_body(op.key, op.value, op.lease); break;
    case request_op::kind::delete_range: o["request_delete_range"] = range_body(op.key, op.range_end); break;
    }
    return o;
}

bj::object compare_body(const compare& c) {
    static constexpr const char* results[] = {"EQUAL", "GREATER", "LESS", "NOT_EQUAL"};
    bj::object o;
    o["key"] = base64_encode(c.key);
    o["result"] = results[size_t(c.op)];
    switch (c.target) {
    case compare_target::version: o["target"] = "VERSION"; o["version"] = number(c.number); break;
    case compare_target::create_revision: o["target"] = "CREATE"; o["create_revision"] = number(c.number); break;
    case compare_target::mod_revision: o["target"] = "MOD"; o["mod_revision"] = number(c.number); break;
    case compare_target::value: o["target"] = "VALUE"; o["value"] = base64_encode(c.value); break;
    case compare_target::lease: o["target"] = "LEASE"; o["lease"] = number(c.number); break;
    }
    return o;
}

} // namespace

std::string range_request(std::string_view key, std::string_view range_end) {
    return bj::serialize(range_body(key, range_end));
}

std::string put_request(std::string_view key, std::string_view value, int64_t lease) {
    return bj::serialize(put_body(key, value, lease));
}

std::string delete_request(std::string_view key, std::string_view range_end) {
    return bj::serialize(range_body(key, range_end));
}

std::string txn_request(const std::vector<compare>& compares, const std::vector<request_op>& success,
                        const std::vector<request_op>& failure) {
    bj::object o;
    bj::array& c = o["compare"].emplace_array();
    for (const auto& cmp : compares) c.push_back(compare_body(cmp));
    bj::array& s = o["success"].emplace_array();
    for (const auto& op : success) s.push_back(op_body(op));
    bj::array& f = o["failure"].emplace_array();
    for (const auto& op : failure) f.push_back(op_body(op));
    return bj::serialize(o);
}

std::string lease_grant_request(int64_t ttl_s) { return bj::serialize(bj::object{{"TTL", number(ttl_s)}}); }

std::string lease_id_request(int64_t lease) { return bj::serialize(bj::object{{"ID", number(lease)}}); }

std::string watch_create_request(std::string_view key, std::string_view range_end, int64_t start_revision) {
    bj::object create = range_body(key, range_end);
    if (start_revision > 0) create["start_revision"] = number(start_revision);
    return bj::serialize(bj::object{{"create_request", std::move(create)}});
}

result<range_response, errc> parse_range(std::string_view body) {
    auto o = parse_object(body);
    if (!o) return fail(o.error());
    return read_range(*o);
}

result<int64_t, errc> parse_write(std::string_view body) {
    auto o = parse_object(body);
    if (!o) return fail(o.error());
    return header_revision(*o);
}

result<txn_response, errc> parse_txn(std::string_view body) {
    auto o = parse_object(body);
    if (!o) return fail(o.error());
    txn_response out;
    out.succeeded = bool_field(*o, "succeeded");
    out.revision = header_revision(*o);
    if (const bj::array* responses = array_field(*o, "responses")) {
        for (const auto& r : *responses) {
            if (!r.is_object()) return fail(errc::bad_response);
            if (const bj::object* range = object_field(r.as_object(), "response_range")) {
                auto read = read_range(*range);
                if (!read) return fail(read.error());
                out.ranges.push_back(std::move(*read));
            }
        }
    }
    return out;
}

result<lease_grant, errc> parse_lease_grant(std::string_view body) {
    auto o = parse_object(body);
    if (!o) return fail(o.error());
    lease_grant out{int_field(*o, "ID"), int_field(*o, "TTL")};
    if (out.id == 0 || out.ttl_s <= 0) return fail(errc::bad_response);
    return out;
}

result<int64_t, errc> parse_keep_alive(std::string_view body) {
    // A stream of one message: {"result": {...}}; a TTL of zero (left out)
    // means the lease is gone.
    auto line = body.substr(0, body.find('\n'));
    auto o = parse_object(line);
    if (!o) return fail(o.error());
    const bj::object* r = object_field(*o, "result");
    if (!r) return fail(errc::bad_response);
    int64_t ttl = int_field(*r, "TTL");
    if (ttl <= 0) return fail(errc::lease_not_found);
    return ttl;
}

result<watch_message, errc> parse_watch_message(std::string_view line) {
    auto o = parse_object(line);
    if (!o) return fail(o.error());
    const bj::object* r = object_field(*o, "result");
    if (!r) return fail(errc::bad_response);
    watch_message out;
    out.created = bool_field(*r, "created");
    out.canceled = bool_field(*r, "canceled");
    out.compact_revision = int_field(*r, "compact_revision");
    out.revision = header_revision(*r);
    if (const bj::array* events = array_field(*r, "events")) {
        for (const auto& e : *events) {
            if (!e.is_object()) return fail(errc::bad_response);
            const auto& eo = e.as_object();
            auto& ev = out.events.emplace_back();
            auto type = eo.find("type");
            ev.type = type != eo.end() && type->value().is_string() && type->value().as_string() == "DELETE"
                          ? event_type::erase
                          : event_type::put;
            const bj::object* kv = object_field(eo, "kv");
            if (!kv || !read_kv(*kv, ev.kv)) return fail(errc::bad_response);
        }
    }
    return out;
}

errc error_from_body(std::string_view body, std::string& message) {
    auto o = parse_object(body);
    if (!o) {
        message = std::string(body.substr(0, 200));
        return errc::bad_response;
    }
    // Unary calls answer {"error": "...", "code": N}; streamed ones (watch,
    // lease keep-alive) {"error": {"grpc_code": N, "message": "..."}}.
    int64_t grpc_code = int_field(*o, "code");
    if (auto it = o->find("error"); it != o->end()) {
        if (it->value().is_string()) {
            message = std::string(it->value().as_string());
        } else if (it->value().is_object()) {
            const auto& inner = it->value().as_object();
            grpc_code = int_field(inner, "grpc_code");
            if (auto m = inner.find("message"); m != inner.end() && m->value().is_string())
                message = std::string(m->value().as_string());
        }
    }
    // gRPC status codes: NOT_FOUND for an unknown lease, OUT_OF_RANGE for a
    // compacted revision, UNAVAILABLE and DEADLINE_EXCEEDED while etcd has no leader.
    switch (grpc_code) {
    case 5: return message.find("lease") != std::string::npos ? errc::lease_not_found : errc::server_error;
    case 11: return errc::compacted;
    case 4: return errc::timeout;
    case 14: return errc::unavailable;
    default: return errc::server_error;
    }
}

} // namespace strata::cluster::etcd::json
