#pragma once
// Reading the JSON values Strata keeps in etcd (cluster_records,
// topic_records): an object, and members of the types they must have, or
// nothing when a value is not what Strata writes. Pure functions.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

namespace strata::cluster::json_fields {

std::optional<boost::json::object> parse_object(std::string_view json);
std::optional<int32_t> int32_member(const boost::json::object& o, std::string_view name);
std::optional<std::vector<int32_t>> int32_array_member(const boost::json::object& o, std::string_view name);

} // namespace strata::cluster::json_fields
