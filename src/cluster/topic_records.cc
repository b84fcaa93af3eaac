#include "strata/cluster/topic_records.h"

#include <charconv>

#include <boost/json.hpp>

#include "strata/cluster/json_fields.h"

namespace strata::cluster::records {

namespace bj = boost::json;
using json_fields::int32_array_member;
using json_fields::int32_member;
using json_fields::parse_object;

namespace {

bj::array to_array(const std::vector<int32_t>& v) {
    bj::array a;
    for (int32_t x : v) a.push_back(x);
    return a;
}

std::optional<int32_t> parse_int32(std::string_view digits) {
    int32_t v = 0;
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec != std::errc{} || p != digits.data() + digits.size() || digits.empty()) return std::nullopt;
    return v;
}

} // namespace

std::string topics_prefix(std::string_view prefix) { return std::string(prefix) + "/topics/"; }
std::string topic_key(std::string_view prefix, std::string_view name) { return topics_prefix(prefix) + std::string(name); }
std::string partitions_prefix(std::string_view prefix) { return std::string(prefix) + "/partitions/"; }
std::string topic_partitions_prefix(std::string_view prefix, const kafka::uuid& id) {
    return partitions_prefix(prefix) + uuid_hex(id) + "/";
}
std::string partition_key(std::string_view prefix, const kafka::uuid& id, int32_t partition) {
    return topic_partitions_prefix(prefix, id) + std::to_string(partition);
}

std::optional<std::string> topic_name_of(std::string_view prefix, std::string_view key) {
    auto topics = topics_prefix(prefix);
    if (!key.starts_with(topics) || key.size() == topics.size()) return std::nullopt;
    return std::string(key.substr(topics.size()));
}

std::optional<std::pair<kafka::uuid, int32_t>> partition_of(std::string_view prefix, std::string_view key) {
    auto partitions = partitions_prefix(prefix);
    if (!key.starts_with(partitions)) return std::nullopt;
    auto rest = key.substr(partitions.size());
    auto slash = rest.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    auto id = uuid_from_hex(rest.substr(0, slash));
    auto p = parse_int32(rest.substr(slash + 1));
    if (!id || !p || *p < 0) return std::nullopt;
    return std::pair{*id, *p};
}

std::string uuid_hex(const kafka::uuid& id) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(32);
    for (uint8_t b : id.bytes) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 15]);
    }
    return out;
}

std::optional<kafka::uuid> uuid_from_hex(std::string_view hex) {
    if (hex.size() != 32) return std::nullopt;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    kafka::uuid id;
    for (size_t i = 0; i < 16; ++i) {
        int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        id.bytes[i] = uint8_t(hi << 4 | lo);
    }
    return id;
}

std::string encode_topic(const topic_value& t) {
    bj::object configs;
    for (const auto& [k, v] : t.configs) configs[k] = v;
    return bj::serialize(bj::object{{"id", uuid_hex(t.id)}, {"partitions", t.partitions}, {"configs", std::move(configs)}});
}

std::optional<topic_value> decode_topic(std::string_view json) {
    auto o = parse_object(json);
    if (!o) return std::nullopt;
    topic_value t;
    auto id = o->find("id");
    auto partitions = int32_member(*o, "partitions");
    if (id == o->end() || !id->value().is_string() || !partitions || *partitions < 0) return std::nullopt;
    auto parsed = uuid_from_hex(std::string_view(id->value().as_string()));
    if (!parsed) return std::nullopt;
    t.id = *parsed;
    t.partitions = *partitions;
    if (auto c = o->find("configs"); c != o->end()) {
        if (!c->value().is_object()) return std::nullopt;
        for (const auto& [k, v] : c->value().as_object()) {
            if (!v.is_string()) return std::nullopt;
            t.configs[std::string(k)] = std::string(v.as_string());
        }
    }
    return t;
}

std::string encode_partition(const partition_value& p) {
    bj::object o{{"replicas", to_array(p.replicas)},
                 {"isr", to_array(p.isr)},
                 {"leader", p.leader},
                 {"leader_epoch", p.leader_epoch},
                 {"partition_epoch", p.partition_epoch}};
    // Kafka's names for a reassignment under way; absent otherwise.
    if (!p.adding.empty()) o["adding_replicas"] = to_array(p.adding);
    if (!p.removing.empty()) o["removing_replicas"] = to_array(p.removing);
    return bj::serialize(o);
}

std::optional<partition_value> decode_partition(std::string_view json) {
    auto o = parse_object(json);
    if (!o) return std::nullopt;
    auto replicas = int32_array_member(*o, "replicas");
    auto isr = int32_array_member(*o, "isr");
    auto leader = int32_member(*o, "leader");
    auto leader_epoch = int32_member(*o, "leader_epoch");
    auto partition_epoch = int32_member(*o, "partition_epoch");
    if (!replicas || !isr || !leader || !leader_epoch || !partition_epoch) return std::nullopt;
    auto adding = int32_array_member(*o, "adding_replicas");
    auto removing = int32_array_member(*o, "removing_replicas");
    return partition_value{std::move(*replicas), std::move(*isr), *leader, *leader_epoch, *partition_epoch,
                           adding.value_or(std::vector<int32_t>{}), removing.value_or(std::vector<int32_t>{})};
}

} // namespace strata::cluster::records
