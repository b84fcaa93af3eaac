#include "strata/cluster/topic_config.h"

#include <gtest/gtest.h>

namespace strata::cluster {
namespace {

TEST(topic_configs, override_beats_broker_property_beats_default) {
    const auto* def = topic_configs::find("retention.ms");
    ASSERT_NE(def, nullptr);
    auto d = topic_configs::resolve(*def, {}, {});
    EXPECT_EQ(d.value, "604800000");
    EXPECT_EQ(d.source, config_source::default_value);
    auto b = topic_configs::resolve(*def, {}, {{"log.retention.hours", "2"}});
    EXPECT_EQ(b.value, "7200000");  // hours become milliseconds
    EXPECT_EQ(b.source, config_source::static_broker);
    EXPECT_EQ(b.synonym, "log.retention.hours");
    // log.retention.ms outranks log.retention.hours, as in Kafka.
    auto ms = topic_configs::resolve(*def, {}, {{"log.retention.hours", "2"}, {"log.retention.ms", "5"}});
    EXPECT_EQ(ms.value, "5");
    auto t = topic_configs::resolve(*def, {{"retention.ms", "10"}}, {{"log.retention.ms", "5"}});
    EXPECT_EQ(t.value, "10");
    EXPECT_EQ(t.source, config_source::topic);
}

TEST(topic_configs, validation) {
    EXPECT_FALSE(topic_configs::validate("retention.ms", "1000"));
    EXPECT_TRUE(topic_configs::validate("retention.ms", "soon"));
    EXPECT_TRUE(topic_configs::validate("no.such.config", "1"));
    EXPECT_FALSE(topic_configs::validate("cleanup.policy", "compact"));
    EXPECT_FALSE(topic_configs::validate("cleanup.policy", "delete,compact"));
    EXPECT_TRUE(topic_configs::validate("cleanup.policy", "shred"));
    EXPECT_TRUE(topic_configs::validate("compression.type", "brotli"));
    EXPECT_TRUE(topic_configs::validate("segment.bytes", "10"));
    EXPECT_TRUE(topic_configs::validate("preallocate", "maybe"));
    EXPECT_FALSE(topic_configs::validate("min.cleanable.dirty.ratio", "0.25"));
}

TEST(topic_configs, compaction_settings_are_validated_as_kafka_does) {
    // A list: items trimmed, each one of the two policies.
    EXPECT_FALSE(topic_configs::validate("cleanup.policy", "compact, delete"));
    EXPECT_TRUE(topic_configs::validate("cleanup.policy", "compact,shred"));
    EXPECT_TRUE(topic_configs::validate("cleanup.policy", ""));
    EXPECT_TRUE(topic_configs::validate("min.cleanable.dirty.ratio", "1.5"));
    EXPECT_TRUE(topic_configs::validate("min.cleanable.dirty.ratio", "-0.1"));
    EXPECT_FALSE(topic_configs::validate("min.cleanable.dirty.ratio", "0"));
    EXPECT_TRUE(topic_configs::validate("delete.retention.ms", "-1"));
    EXPECT_TRUE(topic_configs::validate("min.compaction.lag.ms", "-1"));
    EXPECT_TRUE(topic_configs::validate("max.compaction.lag.ms", "0"));
}

TEST(topic_configs, cleanup_policy_and_compaction_settings_reach_the_log_config) {
    auto defaults = topic_configs::to_log_config({}, {});
    EXPECT_TRUE(defaults.cleanup_delete);
    EXPECT_FALSE(defaults.cleanup_compact);
    EXPECT_EQ(defaults.delete_retention_ms, 86400000);
    EXPECT_EQ(defaults.min_compaction_lag_ms, 0);
    EXPECT_EQ(defaults.max_compaction_lag_ms, INT64_MAX);
    EXPECT_DOUBLE_EQ(defaults.min_cleanable_dirty_ratio, 0.5);

    auto compact = topic_configs::to_log_config({{"cleanup.policy", "compact"}}, {});
    EXPECT_FALSE(compact.cleanup_delete);
    EXPECT_TRUE(compact.cleanup_compact);
    auto both = topic_configs::to_log_config({{"cleanup.policy", "compact, delete"}}, {});
    EXPECT_TRUE(both.cleanup_delete);
    EXPECT_TRUE(both.cleanup_compact);

    // Kafka's broker-level names are the defaults.
    auto broker = topic_configs::to_log_config(
        {{"min.compaction.lag.ms", "5"}},
        {{"log.cleanup.policy", "compact"}, {"log.cleaner.delete.retention.ms", "1000"},
         {"log.cleaner.min.cleanable.ratio", "0.1"}, {"log.cleaner.min.compaction.lag.ms", "7"},
         {"log.cleaner.max.compaction.lag.ms", "60000"}});
    EXPECT_TRUE(broker.cleanup_compact);
    EXPECT_FALSE(broker.cleanup_delete);
    EXPECT_EQ(broker.delete_retention_ms, 1000);
    EXPECT_DOUBLE_EQ(broker.min_cleanable_dirty_ratio, 0.1);
    EXPECT_EQ(broker.min_compaction_lag_ms, 5);
    EXPECT_EQ(broker.max_compaction_lag_ms, 60000);
    // A compacted log rolls by max.compaction.lag.ms when that comes first.
    EXPECT_EQ(broker.roll_ms(), 60000);
    EXPECT_EQ(defaults.roll_ms(), defaults.segment_ms);
}

TEST(topic_configs, log_config_from_overrides_and_broker) {
    auto c = topic_configs::to_log_config({{"segment.bytes", "1048576"}, {"max.message.bytes", "2000"}},
                                          {{"log.retention.bytes", "123"}, {"log.roll.hours", "1"}});
    EXPECT_EQ(c.segment_bytes, 1048576u);
    EXPECT_EQ(c.max_message_bytes, 2000u);
    EXPECT_EQ(c.retention_bytes, 123);
    EXPECT_EQ(c.segment_ms, 3600000);
    EXPECT_EQ(c.retention_ms, 604800000);
}

} // namespace
} // namespace strata::cluster
