#include "strata/app/broker_config.h"

#include <gtest/gtest.h>

namespace strata::app {
namespace {

TEST(broker_config, defaults_follow_kafka) {
    auto c = load_broker_config({});
    ASSERT_TRUE(c);
    ASSERT_EQ(c->listeners.size(), 1u);
    EXPECT_EQ(c->listeners[0].port, 9092);
    EXPECT_EQ(c->listeners[0].host, "");
    EXPECT_EQ(c->num_partitions, 1);
    EXPECT_TRUE(c->auto_create_topics_enable);
    EXPECT_EQ(c->socket_request_max_bytes, 104857600u);
    EXPECT_TRUE(c->admin_enabled);
    EXPECT_EQ(c->admin_port, 9644);
    EXPECT_TRUE(c->schema_registry_enabled);
    EXPECT_EQ(c->schema_registry_port, 8081);
}

TEST(broker_config, schema_registry_listener_is_set_or_disabled) {
    auto c = load_broker_config({{"schema.registry.listeners", "http://127.0.0.1:0"}});
    ASSERT_TRUE(c);
    EXPECT_TRUE(c->schema_registry_enabled);
    EXPECT_EQ(c->schema_registry_host, "127.0.0.1");
    EXPECT_EQ(c->schema_registry_port, 0);
    auto off = load_broker_config({{"schema.registry.listeners", ""}});
    ASSERT_TRUE(off);
    EXPECT_FALSE(off->schema_registry_enabled);
    EXPECT_FALSE(load_broker_config({{"schema.registry.listeners", "8081"}}));
}

TEST(broker_config, reads_known_keys) {
    properties p{{"listeners", "PLAINTEXT://127.0.0.1:19092,OTHER://[::1]:19093"},
                 {"advertised.listeners", "PLAINTEXT://broker.example:9092"},
                 {"log.dirs", "/a,/b"},
                 {"node.id", "7"},
                 {"num.partitions", "12"},
                 {"auto.create.topics.enable", "false"},
                 {"admin.listeners", ""}};
    auto c = load_broker_config(p);
    ASSERT_TRUE(c);
    ASSERT_EQ(c->listeners.size(), 2u);
    EXPECT_EQ(c->listeners[1].host, "::1");
    EXPECT_EQ(c->listeners[1].port, 19093);
    EXPECT_EQ(c->advertised_listeners[0].host, "broker.example");
    EXPECT_EQ(c->log_dir, "/a");
    EXPECT_EQ(c->node_id, 7);
    EXPECT_EQ(c->num_partitions, 12);
    EXPECT_FALSE(c->auto_create_topics_enable);
    EXPECT_FALSE(c->admin_enabled);
}

TEST(broker_config, broker_id_is_the_older_name_of_node_id) {
    auto c = load_broker_config({{"broker.id", "3"}});
    ASSERT_TRUE(c);
    EXPECT_EQ(c->node_id, 3);
}

TEST(broker_config, bad_values_are_errors_naming_the_key) {
    auto c = load_broker_config({{"num.partitions", "many"}});
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message.find("num.partitions"), std::string::npos);
    EXPECT_FALSE(load_broker_config({{"auto.create.topics.enable", "yes"}}));
    EXPECT_FALSE(load_broker_config({{"listeners", "localhost:9092"}}));
    EXPECT_FALSE(load_broker_config({{"listeners", "PLAINTEXT://:99999"}}));
    EXPECT_FALSE(load_broker_config({{"num.partitions", "0"}}));
}

TEST(broker_config, per_ip_overrides_are_kafkas_host_count_list) {
    auto c = load_broker_config({{"max.connections.per.ip", "5"},
                                 {"max.connections.per.ip.overrides", " broker-1.example:100 , 10.0.0.7:0,::1:3,"}});
    ASSERT_TRUE(c);
    EXPECT_EQ(c->max_connections_per_ip, 5u);
    using entry = std::pair<std::string, uint32_t>;
    // The count follows the last colon, so an IPv6 address needs no brackets.
    EXPECT_EQ(c->max_connections_per_ip_overrides,
              (std::vector<entry>{{"broker-1.example", 100}, {"10.0.0.7", 0}, {"::1", 3}}));
    auto none = load_broker_config({});
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->max_connections_per_ip_overrides.empty());
}

TEST(broker_config, per_ip_overrides_refuse_what_kafka_refuses) {
    for (const char* bad : {"127.0.0.1", "127.0.0.1:many", "127.0.0.1:", ":5", "bad host:3", "h/st:3", "a:-1"}) {
        auto c = load_broker_config({{"max.connections.per.ip.overrides", bad}});
        ASSERT_FALSE(c) << bad;
        EXPECT_NE(c.error().message.find("max.connections.per.ip.overrides"), std::string::npos) << bad;
    }
    // Zero connections per address is allowed only with overrides to let some in.
    EXPECT_FALSE(load_broker_config({{"max.connections.per.ip", "0"}}));
    EXPECT_TRUE(load_broker_config({{"max.connections.per.ip", "0"},
                                    {"max.connections.per.ip.overrides", "127.0.0.1:2"}}));
}

} // namespace
} // namespace strata::app
