#include "strata/kafka/server/remote_produce.h"

#include <algorithm>
#include <string>

#include "strata/cluster/broker_client.h"
#include "strata/kafka/protocol/messages/produce.h"

namespace strata::kafka::server {

namespace {
// Produce v9: the first flexible version, topics by name; every Kafka 2.4+ broker serves it.
constexpr int16_t produce_version = 9;
} // namespace

boost::asio::awaitable<error_code> produce_to_leader(server_context& server, topic_partition tp,
                                                     std::span<uint8_t> batch,
                                                     std::chrono::steady_clock::time_point deadline) {
    const auto* p = server.topics.find(tp);
    const int32_t leader = p ? p->assignment().leader : -1;
    const auto* endpoint = leader >= 0 ? server.brokers.find(leader) : nullptr;
    if (!endpoint) co_return error_code::not_leader_or_follower;
    const auto left = std::max(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()),
                               std::chrono::milliseconds(1));
    msg::produce_request req;
    req.acks = -1;
    req.timeout_ms = int32_t(left.count());
    auto& topic = req.topic_data.emplace_back();
    topic.name = tp.topic;
    topic.partition_data.push_back({tp.partition(), records::view(batch)});
    cluster::broker_client client(server.executor, endpoint->host, uint16_t(endpoint->port),
                                  "strata-broker-" + std::to_string(server.self.node_id));
    auto answer = co_await client.call<msg::produce_request, msg::produce_response>(req, produce_version, left);
    client.close();
    if (!answer) co_return answer.error() == cluster::client_errc::timeout ? error_code::request_timed_out
                                                                            : error_code::not_leader_or_follower;
    const auto& topics = (*answer)->body.responses;
    if (topics.size() != 1 || topics[0].partition_responses.size() != 1) co_return error_code::unknown_server_error;
    co_return error_code(topics[0].partition_responses[0].error_code);
}

} // namespace strata::kafka::server
