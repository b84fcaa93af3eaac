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
