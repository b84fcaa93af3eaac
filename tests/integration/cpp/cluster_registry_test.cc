// The schema registry in a cluster: _schemas is replicated, the broker that
// leads it (the primary) takes writes, every other broker forwards them there
// and answers reads from its own replica; produce-time validation on every
// leader sees what was registered through any broker; when the primary is
// killed another broker takes over with every schema and IDs carry on.
// Three real brokers, a real etcd, the registry's REST API, librdkafka.

#include <gtest/gtest.h>

#include <memory>

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

} // namespace
} // namespace strata::test
