// The schema registry in a cluster: _schemas is replicated, the broker that
// leads it (the primary) takes writes, every other broker forwards them there
// and answers reads from its own replica; produce-time validation on every
// leader sees what was registered through any broker; when the primary is
// killed another broker takes over with every schema and IDs carry on.
// Three real brokers, a real etcd, the registry's REST API, librdkafka.

#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "cluster_kit.h"
#include "http_client.h"
#include "rdkafka_client.h"
#include "schema_kit.h"

namespace strata::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* order_schema =
    R"({"schemaType":"JSON","schema":"{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}},)"
    R"(\"required\":[\"n\"],\"additionalProperties\":false}"})";
constexpr const char* payment_schema =
    R"({"schemaType":"JSON","schema":"{\"type\":\"object\",\"properties\":{\"m\":{\"type\":\"string\"}},)"
    R"(\"required\":[\"m\"]}"})";

bool ok(const std::string& response) { return response.find(" 200 ") != std::string::npos; }

class cluster_registry_test : public ::testing::Test {
protected:
    void SetUp() override { brokers = start_cluster(etcd, 3, {"auto.leader.rebalance.enable=false"}); }

    broker_process& node(int32_t id) { return *brokers.at(size_t(id - 1)); }

    // Registers `schema` under `subject` through broker `via`: the ID, or -1 (with the reply reported).
    int32_t register_schema(int32_t via, const std::string& subject, const std::string& schema) {
        auto reply = http_request(node(via).registry_port(), "POST", "/subjects/" + subject + "/versions", schema);
        EXPECT_TRUE(ok(reply)) << reply;
        auto body = http_body(reply);
        auto at = body.find("\"id\":");
        return at == std::string::npos ? -1 : std::stoi(body.substr(at + 5));
    }

    bool every_running_broker_has(int32_t id) {
        for (auto& b : brokers)
            if (b->running() && !ok(http_get(b->registry_port(), "/schemas/ids/" + std::to_string(id)))) return false;
        return true;
    }

    // The live leader of _schemas as every running broker reports it, or -1.
    int32_t primary() {
        int32_t agreed = -1;
        for (auto& b : brokers) {
            if (!b->running()) continue;
            auto v = describe_topic(b->port(), "_schemas");
            if (!v || v->size() != 1) return -1;
            const int32_t leader = (*v)[0].leader;
            if (leader < 0 || !node(leader).running() || (agreed >= 0 && leader != agreed)) return -1;
            agreed = leader;
        }
        return agreed;
    }

    etcd_process etcd;
    std::vector<std::unique_ptr<broker_process>> brokers;
};

TEST_F(cluster_registry_test, writes_through_any_broker_reach_the_primary_and_survive_its_loss) {
    // The first write creates _schemas (three replicas) and waits for its leader.
    const int32_t orders = register_schema(2, "orders-value", order_schema);
    ASSERT_EQ(orders, 1);
    EXPECT_TRUE(ok(http_get(node(2).registry_port(), "/schemas/ids/1"))) << "a broker reads its own writes";
    ASSERT_TRUE(wait_until([&] { return every_running_broker_has(orders); }, 30s));
    int32_t first_primary = -1;
    ASSERT_TRUE(wait_until([&] { return (first_primary = primary()) > 0; }, 30s));
    auto layout = describe_topic(node(1).port(), "_schemas");
    ASSERT_TRUE(layout);
    EXPECT_EQ((*layout)[0].replicas.size(), 3u);
    const int32_t other = first_primary % 3 + 1;
    EXPECT_EQ(register_schema(other, "orders-value", order_schema), orders) << "the same schema, the same version";

    // Produce-time validation by each partition's leader, whichever broker
    // took the registration: valid records in, invalid ones refused.
    ASSERT_EQ(create_topic(node(1).bootstrap(), "orders", 3, {{"strata.value.schema.validation", "full"}}, 3), "");
    ASSERT_TRUE(wait_until([&] { auto v = describe_topic(node(3).port(), "orders"); return v && v->size() == 3 && (*v)[2].leader > 0; }, 30s));
    {
        producer valid(running_bootstrap(brokers), {{"acks", "all"}});
        for (int32_t p = 0; p < 3; ++p) valid.send("orders", {p, -1, std::nullopt, framed(orders, R"({"n":1})"), {}, 0});
        valid.flush();
        EXPECT_EQ(valid.acknowledged.size(), 3u) << "first error: " << (valid.failures.empty() ? 0 : int(valid.failures[0]));
        producer invalid(running_bootstrap(brokers), {{"acks", "all"}, {"retries", "0"}});
        for (int32_t p = 0; p < 3; ++p)
            invalid.send("orders", {p, -1, std::nullopt, framed(orders, R"({"n":"one"})"), {}, 0});
        invalid.flush();
        EXPECT_EQ(invalid.failures, std::vector<rd_kafka_resp_err_t>(3, RD_KAFKA_RESP_ERR_INVALID_RECORD));
    }

    // The primary dies: another broker leads _schemas with every schema, and
    // IDs carry on from there.
    node(first_primary).kill9();
    int32_t second_primary = -1;
    ASSERT_TRUE(wait_until([&] { return (second_primary = primary()) > 0; }, 60s));
    EXPECT_NE(second_primary, first_primary);
    int32_t via = 1;
    while (via == first_primary || via == second_primary) ++via;
    const int32_t payments = register_schema(via, "payments-value", payment_schema);
    EXPECT_EQ(payments, orders + 1);
    ASSERT_TRUE(wait_until([&] { return every_running_broker_has(orders) && every_running_broker_has(payments); }, 30s));

    // The killed broker comes back as a replica and catches up.
    node(first_primary).start();
    EXPECT_TRUE(wait_until([&] { return every_running_broker_has(payments); }, 60s));
    EXPECT_EQ(http_body(http_get(node(first_primary).registry_port(), "/subjects")),
              R"(["orders-value","payments-value"])");
}

TEST_F(cluster_registry_test, dead_letters_reach_a_dead_letter_partition_another_broker_leads) {
    const int32_t id = register_schema(1, "orders-value", order_schema);
    ASSERT_GT(id, 0);
    ASSERT_TRUE(wait_until([&] { return every_running_broker_has(id); }, 30s));
    // One dead-letter partition for three source partitions with leaders on
    // every broker: most dead letters go to another broker.
    ASSERT_EQ(create_topic(node(1).bootstrap(), "orders.dlq", 1, {}, 3), "");
    ASSERT_EQ(create_topic(node(1).bootstrap(), "orders", 3,
                           {{"strata.value.schema.validation", "full"}, {"strata.schema.validation.failure", "dlq"}}, 3),
              "");
    std::optional<std::vector<partition_view>> source, letters;
    ASSERT_TRUE(wait_until(
        [&] {
            source = describe_topic(node(2).port(), "orders");
            letters = describe_topic(node(2).port(), "orders.dlq");
            if (!source || !letters || source->size() != 3 || (*letters)[0].leader < 0) return false;
            for (const auto& p : *source)
                if (p.leader < 0) return false;
            return true;
        },
        30s));
    int remote = 0;
    for (const auto& p : *source) remote += p.leader != (*letters)[0].leader;
    ASSERT_GE(remote, 1) << "some source partition is led away from the dead-letter partition";

    producer prod(running_bootstrap(brokers), {{"acks", "all"}, {"enable.idempotence", "true"}});
    for (int32_t p = 0; p < 3; ++p) {
        prod.send("orders", {p, -1, std::nullopt, framed(id, R"({"n":)" + std::to_string(p) + "}"), {}, 0});
        prod.send("orders", {p, -1, std::nullopt, framed(id, R"({"n":"bad)" + std::to_string(p) + R"("})"), {}, 0});
    }
    prod.flush();
    EXPECT_TRUE(prod.failures.empty()) << "first error: " << (prod.failures.empty() ? 0 : int(prod.failures[0]));
    EXPECT_EQ(prod.acknowledged.size(), 6u);

    std::set<std::string> kept, dead;
    for (const auto& r : consume_all(running_bootstrap(brokers), "orders", 3, 3)) kept.insert(r.value->substr(5));
    EXPECT_EQ(kept, (std::set<std::string>{R"({"n":0})", R"({"n":1})", R"({"n":2})"}));
    std::set<std::string> sources;
    std::string reasons;
    for (const auto& r : consume_all(running_bootstrap(brokers), "orders.dlq", 1, 3)) {
        dead.insert(r.value->substr(5));
        for (const auto& [name, value] : r.headers) {
            if (name == "strata.dlq.source.partition" && value) sources.insert(*value);
            if (name == "strata.dlq.reason" && value) reasons += *value + "; ";
        }
    }
    EXPECT_EQ(dead, (std::set<std::string>{R"({"n":"bad0"})", R"({"n":"bad1"})", R"({"n":"bad2"})"})) << reasons;
    EXPECT_EQ(sources, (std::set<std::string>{"0", "1", "2"}));
}

} // namespace
} // namespace strata::test
