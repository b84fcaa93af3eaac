#include "cluster_kit.h"

#include <stdexcept>

#include "raw_client.h"
#include "strata/kafka/protocol/messages/metadata.h"

namespace strata::test {

namespace msg = kafka::msg;
using namespace std::chrono_literals;

namespace {

std::optional<msg::metadata_response> metadata(uint16_t port, std::optional<std::string> topic) {
    raw_client c(port);
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

std::optional<std::vector<partition_view>> describe_topic(uint16_t port, const std::string& topic) {
    auto resp = metadata(port, topic);
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

std::vector<std::unique_ptr<broker_process>> start_cluster(const etcd_process& etcd, int count,
                                                           const std::vector<std::string>& extra) {
    std::vector<std::unique_ptr<broker_process>> brokers;
    for (int id = 1; id <= count; ++id) {
        std::vector<std::string> overrides{"node.id=" + std::to_string(id), "metadata.etcd.endpoints=" + etcd.endpoint(),
                                           "broker.session.timeout.ms=3000", "broker.heartbeat.interval.ms=500"};
        overrides.insert(overrides.end(), extra.begin(), extra.end());
        brokers.push_back(std::make_unique<broker_process>(std::move(overrides)));
    }
    // Topics are placed over the brokers each one knows: all of them first.
    const bool all_listed = wait_until(
        [&] {
            for (auto& b : brokers) {
                auto resp = metadata(b->port(), std::nullopt);
                if (!resp || resp->brokers.size() != size_t(count)) return false;
            }
            return true;
        },
        30s);
    if (!all_listed) throw std::runtime_error("the brokers did not all see each other within 30 s");
    return brokers;
}

} // namespace strata::test
