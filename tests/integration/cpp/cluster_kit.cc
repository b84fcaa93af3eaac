#include "cluster_kit.h"

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "raw_client.h"
#include "strata/kafka/protocol/messages/elect_leaders.h"
#include "strata/kafka/protocol/messages/find_coordinator.h"
#include "strata/kafka/protocol/messages/metadata.h"
#include "strata/kafka/protocol/messages/offset_fetch.h"

namespace strata::test {

namespace msg = kafka::msg;
using namespace std::chrono_literals;

namespace {

std::optional<msg::metadata_response> metadata(const broker_address& broker, std::optional<std::string> topic) {
    raw_client c(broker);
    msg::metadata_request req;
    req.topics = std::vector<msg::metadata_request::metadata_request_topic>{};
    if (topic) {
        req.topics->push_back({});
        req.topics->back().name = *topic;
    }
    req.allow_auto_topic_creation = false;
    c.send(req, 12);
    return c.receive<msg::metadata_response>(12);
}

} // namespace

std::map<int32_t, int16_t> elect_leaders(const broker_address& broker, int8_t type, const std::string& topic) {
    raw_client c(broker);
    msg::elect_leaders_request req;
    req.election_type = type;
    req.topic_partitions = std::nullopt;
    req.timeout_ms = 30000;
    c.send(req, 2);
    auto resp = c.receive<msg::elect_leaders_response>(2);
    std::map<int32_t, int16_t> out;
    if (!resp) return out;
    for (const auto& t : resp->replica_election_results)
        for (const auto& p : t.partition_result)
            if (t.topic == topic) out[p.partition_id] = p.error_code;
    return out;
}

int32_t find_group_coordinator(const broker_address& broker, const std::string& group) {
    raw_client c(broker);
    msg::find_coordinator_request req;
    req.key_type = 0;
    req.coordinator_keys = {group};
    c.send(req, 4);
    auto resp = c.receive<msg::find_coordinator_response>(4);
    if (!resp || resp->coordinators.size() != 1 || resp->coordinators[0].error_code != 0) return -1;
    return resp->coordinators[0].node_id;
}

std::optional<std::vector<int64_t>> committed_offsets(const broker_address& broker, const std::string& group,
                                                      const std::string& topic, int32_t partitions) {
    raw_client c(broker);
    msg::offset_fetch_request req;
    auto& g = req.groups.emplace_back();
    g.group_id = group;
    g.topics.emplace();
    auto& t = g.topics->emplace_back();
    t.name = topic;
    for (int32_t p = 0; p < partitions; ++p) t.partition_indexes.push_back(p);
    c.send(req, 9);
    auto resp = c.receive<msg::offset_fetch_response>(9);
    if (!resp || resp->groups.size() != 1 || resp->groups[0].error_code != 0) return std::nullopt;
    std::vector<int64_t> out(size_t(partitions), -1);
    for (const auto& rt : resp->groups[0].topics)
        for (const auto& rp : rt.partitions) {
            if (rp.error_code != 0) return std::nullopt;
            if (rp.partition_index >= 0 && rp.partition_index < partitions)
                out[size_t(rp.partition_index)] = rp.committed_offset;
        }
    return out;
}

std::optional<std::vector<partition_view>> describe_topic(const broker_address& broker, const std::string& topic) {
    auto resp = metadata(broker, topic);
    if (!resp || resp->topics.size() != 1 || resp->topics[0].error_code != 0) return std::nullopt;
    std::vector<partition_view> out(resp->topics[0].partitions.size());
    for (const auto& p : resp->topics[0].partitions) {
        if (p.partition_index < 0 || size_t(p.partition_index) >= out.size()) return std::nullopt;
        auto& v = out[size_t(p.partition_index)];
        v.error = p.error_code;
        v.leader = p.error_code == 0 ? p.leader_id : -1;
        v.leader_epoch = p.leader_epoch;
        v.replicas = p.replica_nodes;
        v.isr = p.isr_nodes;
    }
    return out;
}

tool_run run_kafka_tool(const std::string& tool, const std::vector<std::string>& args) {
    const auto path = std::filesystem::path(STRATA_SOURCE_DIR) / ".tools/kafka/bin" / tool;
    if (!std::filesystem::exists(path))
        throw std::runtime_error(path.string() + " is missing: run scripts/fetch_kafka_tools.sh (make setup-test does)");
    // The arguments are the test's own (no shell quoting needed beyond spaces-free words).
    std::string command = "timeout 120 " + path.string();
    for (const auto& a : args) command += " '" + a + "'";
    command += " 2>&1";
    tool_run out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) throw std::runtime_error("cannot run " + command);
    char buffer[4096];
    for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.output.append(buffer, n);
    const int status = ::pclose(pipe);
    out.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

std::string running_bootstrap(const std::vector<std::unique_ptr<broker_process>>& brokers) {
    std::string out;
    for (const auto& b : brokers)
        if (b->running()) out += (out.empty() ? "" : ",") + b->bootstrap();
    return out;
}

std::vector<std::unique_ptr<broker_process>> start_cluster(const etcd_process& etcd, int count,
                                                           const std::vector<std::string>& extra,
                                                           const isolated_network* network) {
    std::vector<std::unique_ptr<broker_process>> brokers;
    for (int id = 1; id <= count; ++id) {
        std::vector<std::string> overrides{"node.id=" + std::to_string(id), "metadata.etcd.endpoints=" + etcd.endpoint(),
                                           "broker.session.timeout.ms=3000", "broker.heartbeat.interval.ms=500"};
        for (auto o : extra) {
            if (auto at = o.find("{id}"); at != std::string::npos) o.replace(at, 4, std::to_string(id));
            overrides.push_back(std::move(o));
        }
        broker_host host;
        if (network) host = {network->host(id), network->namespace_path(id)};
        brokers.push_back(std::make_unique<broker_process>(std::move(overrides), std::move(host)));
    }
    // Topics are placed over the brokers each one knows: all of them first.
    const bool all_listed = wait_until(
        [&] {
            for (auto& b : brokers) {
                auto resp = metadata(b->address(), std::nullopt);
                if (!resp || resp->brokers.size() != size_t(count)) return false;
            }
            return true;
        },
        30s);
    if (!all_listed) throw std::runtime_error("the brokers did not all see each other within 30 s");
    return brokers;
}

} // namespace strata::test
