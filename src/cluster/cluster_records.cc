#include "strata/cluster/cluster_records.h"

#include <charconv>

#include <boost/json.hpp>

#include "strata/cluster/json_fields.h"

namespace strata::cluster::records {

namespace bj = boost::json;
using json_fields::int32_member;
using json_fields::parse_object;

std::string cluster_id_key(std::string_view prefix) { return std::string(prefix) + "/cluster_id"; }
std::string brokers_prefix(std::string_view prefix) { return std::string(prefix) + "/brokers/"; }
std::string broker_key(std::string_view prefix, int32_t node_id) {
    return brokers_prefix(prefix) + std::to_string(node_id);
}
std::string controller_key(std::string_view prefix) { return std::string(prefix) + "/controller"; }

std::optional<int32_t> broker_id_of(std::string_view prefix, std::string_view key) {
    auto brokers = brokers_prefix(prefix);
    if (!key.starts_with(brokers)) return std::nullopt;
    auto digits = key.substr(brokers.size());
    int32_t id = 0;
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
    if (ec != std::errc{} || p != digits.data() + digits.size()) return std::nullopt;
    return id;
}

std::string encode_broker(const broker_endpoint& b) {
    bj::object o{{"node_id", b.node_id}, {"host", b.host}, {"port", b.port}};
    if (b.rack) o["rack"] = *b.rack;
    if (b.registry_port) o["registry_port"] = *b.registry_port;
    return bj::serialize(o);
}

std::optional<broker_endpoint> decode_broker(std::string_view json) {
    auto o = parse_object(json);
    if (!o) return std::nullopt;
    broker_endpoint b;
    auto id = int32_member(*o, "node_id");
    auto port = int32_member(*o, "port");
    auto host = o->find("host");
    if (!id || !port || host == o->end() || !host->value().is_string()) return std::nullopt;
    b.node_id = *id;
    b.port = *port;
    b.host = std::string(host->value().as_string());
    if (auto rack = o->find("rack"); rack != o->end() && rack->value().is_string())
        b.rack = std::string(rack->value().as_string());
    b.registry_port = int32_member(*o, "registry_port");
    return b;
}

std::string encode_controller(int32_t node_id) { return bj::serialize(bj::object{{"node_id", node_id}}); }

std::optional<int32_t> decode_controller(std::string_view json) {
    auto o = parse_object(json);
    if (!o) return std::nullopt;
    return int32_member(*o, "node_id");
}

} // namespace strata::cluster::records
