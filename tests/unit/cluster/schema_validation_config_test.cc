#include "strata/cluster/schema_validation_config.h"

#include <gtest/gtest.h>

namespace strata::cluster {

TEST(schema_validation_config, defaults_validate_nothing_and_name_the_dlq_after_the_topic) {
    auto c = schema_validation_config::resolve("orders", {}, {});
    EXPECT_FALSE(c.enabled());
    EXPECT_EQ(c.on_failure, validation_failure::reject);
    EXPECT_EQ(c.key_strategy, subject_strategy::topic_name);
    EXPECT_EQ(c.dlq_topic, "orders.dlq");
}

TEST(schema_validation_config, topic_overrides_win_over_broker_defaults) {
    config_map broker{{"strata.value.schema.validation", "id"}, {"strata.schema.validation.failure", "dlq"}};
    config_map topic{{"strata.value.schema.validation", "full"},
                     {"strata.value.subject.name.strategy", "TopicRecordNameStrategy"},
                     {"strata.dlq.topic", "bad-orders"}};
    auto c = schema_validation_config::resolve("orders", topic, broker);
    EXPECT_EQ(c.value, schema_check::full);
    EXPECT_EQ(c.key, schema_check::none);
    EXPECT_EQ(c.value_strategy, subject_strategy::topic_record_name);
    EXPECT_EQ(c.on_failure, validation_failure::dlq);  // from the broker
    EXPECT_EQ(c.dlq_topic, "bad-orders");
    EXPECT_EQ(schema_validation_config::resolve("orders", {}, broker).value, schema_check::id);
}

TEST(schema_validation_config, confluent_names_are_aliases_below_ours_at_each_level) {
    config_map topic{{"confluent.value.schema.validation", "true"},
                     {"confluent.key.schema.validation", "true"},
                     {"confluent.value.subject.name.strategy",
                      "io.confluent.kafka.serializers.subject.RecordNameStrategy"}};
    auto c = schema_validation_config::resolve("t", topic, {});
    EXPECT_EQ(c.value, schema_check::id);
    EXPECT_EQ(c.key, schema_check::id);
    EXPECT_EQ(c.value_strategy, subject_strategy::record_name);

    // Our own name at the topic level beats the alias at the topic level...
    topic["strata.value.schema.validation"] = "full";
    EXPECT_EQ(schema_validation_config::resolve("t", topic, {}).value, schema_check::full);
    // ...and the alias at the topic level beats our name at the broker level.
    config_map broker{{"strata.key.schema.validation", "full"}};
    EXPECT_EQ(schema_validation_config::resolve("t", topic, broker).key, schema_check::id);
    config_map off{{"confluent.value.schema.validation", "false"}};
    EXPECT_EQ(schema_validation_config::resolve("t", off, {{"strata.value.schema.validation", "full"}}).value,
              schema_check::none);
}

TEST(schema_validation_config, values_are_checked_like_every_topic_config) {
    EXPECT_FALSE(topic_configs::validate("strata.value.schema.validation", "full"));
    EXPECT_TRUE(topic_configs::validate("strata.value.schema.validation", "strict"));
    EXPECT_TRUE(topic_configs::validate("strata.schema.validation.failure", "drop"));
    EXPECT_TRUE(topic_configs::validate("confluent.value.schema.validation", "yes"));
    EXPECT_TRUE(topic_configs::validate("strata.dlq.topic", "bad name"));
    EXPECT_FALSE(topic_configs::validate("strata.key.subject.name.strategy",
                                         "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"));
}

} // namespace strata::cluster
