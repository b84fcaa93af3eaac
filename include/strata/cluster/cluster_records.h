#pragma once
// What a Strata cluster keeps in etcd, under the prefix of
// metadata.etcd.prefix (P):
//   P/cluster_id       the cluster id, written once by the first broker
//   P/brokers/<id>     a live broker: {"node_id","host","port","rack"},
//                      bound to that broker's lease (gone when it dies)
//   P/controller       {"node_id"} of the controller, bound to its lease;
//                      the key's create revision is the controller epoch
// Key names and JSON values only; pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "strata/cluster/broker_directory.h"

namespace strata::cluster::records {

std::string cluster_id_key(std::string_view prefix);
std::string brokers_prefix(std::string_view prefix);
std::string broker_key(std::string_view prefix, int32_t node_id);
std::string controller_key(std::string_view prefix);
// The node id in a key under brokers_prefix, if it is one.
std::optional<int32_t> broker_id_of(std::string_view prefix, std::string_view key);

std::string encode_broker(const broker_endpoint& b);
std::optional<broker_endpoint> decode_broker(std::string_view json);
std::string encode_controller(int32_t node_id);
std::optional<int32_t> decode_controller(std::string_view json);

} // namespace strata::cluster::records
