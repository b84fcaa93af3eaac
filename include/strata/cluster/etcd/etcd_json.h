#pragma once
// etcd's v3 JSON gateway format: request bodies out, responses in. Keys and
// values travel as base64 and 64-bit numbers as strings; fields at their
// default value are left out by etcd and read back as zero here. Pure
// functions, no I/O; used by etcd::client on the broker thread.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "strata/base/result.h"
#include "strata/cluster/etcd/etcd_types.h"

namespace strata::cluster::etcd::json {

std::string range_request(std::string_view key, std::string_view range_end);
std::string put_request(std::string_view key, std::string_view value, int64_t lease);
std::string delete_request(std::string_view key, std::string_view range_end);
std::string txn_request(const std::vector<compare>& compares, const std::vector<request_op>& success,
                        const std::vector<request_op>& failure);
std::string lease_grant_request(int64_t ttl_s);
std::string lease_id_request(int64_t lease);
std::string watch_create_request(std::string_view key, std::string_view range_end, int64_t start_revision);

result<range_response, errc> parse_range(std::string_view body);
// The revision the write created.
result<int64_t, errc> parse_write(std::string_view body);
result<txn_response, errc> parse_txn(std::string_view body);
result<lease_grant, errc> parse_lease_grant(std::string_view body);
// The lease's remaining TTL; lease_not_found when etcd no longer has it.
result<int64_t, errc> parse_keep_alive(std::string_view body);
result<watch_message, errc> parse_watch_message(std::string_view line);

// An error body ({"error": ..., "code": N}) as an errc, with its message.
errc error_from_body(std::string_view body, std::string& message);

} // namespace strata::cluster::etcd::json
