// The topic and partition records kept in etcd: keys name what they hold and
// nothing else parses as one, values read back exactly, and a value that is
// not what Strata writes is refused rather than half-read.

#include <gtest/gtest.h>

#include "strata/cluster/topic_records.h"

namespace strata::cluster::test {
namespace {

using namespace records;

TEST(topic_records, keys_name_the_topic_or_the_partition_they_hold) {
    auto id = kafka::uuid::random();
    EXPECT_EQ(topic_name_of("/s", topic_key("/s", "orders.v2-x")), "orders.v2-x");
    EXPECT_FALSE(topic_name_of("/s", "/s/topics/"));
    EXPECT_FALSE(topic_name_of("/s", "/other/topics/orders"));
    auto p = partition_of("/s", partition_key("/s", id, 17));
    ASSERT_TRUE(p);
    EXPECT_EQ(p->first, id);
    EXPECT_EQ(p->second, 17);
    EXPECT_TRUE(partition_key("/s", id, 3).starts_with(topic_partitions_prefix("/s", id)));
    EXPECT_FALSE(partition_of("/s", "/s/partitions/" + uuid_hex(id) + "/-1"));
    EXPECT_FALSE(partition_of("/s", "/s/partitions/" + uuid_hex(id) + "/3x"));
    EXPECT_FALSE(partition_of("/s", "/s/partitions/nothex/3"));
    EXPECT_FALSE(partition_of("/s", topic_key("/s", "orders")));
}

TEST(topic_records, ids_round_trip_through_hex) {
    for (int i = 0; i < 20; ++i) {
        auto id = kafka::uuid::random();
        EXPECT_EQ(uuid_hex(id).size(), 32u);
        EXPECT_EQ(uuid_from_hex(uuid_hex(id)), id);
    }
    EXPECT_FALSE(uuid_from_hex("0123"));
    EXPECT_FALSE(uuid_from_hex(std::string(31, 'a') + "G"));
    EXPECT_FALSE(uuid_from_hex(std::string(32, 'A'))) << "upper case is not what Strata writes";
}

TEST(topic_records, values_read_back_exactly) {
    topic_value t{kafka::uuid::random(), 12, {{"cleanup.policy", "compact"}, {"retention.ms", "-1"}}};
    EXPECT_EQ(decode_topic(encode_topic(t)), t);
    partition_value p{{3, 1, 2}, {3, 2}, 3, 7, 9};
    EXPECT_EQ(decode_partition(encode_partition(p)), p);
    partition_value offline{{4}, {}, -1, 0, 0};
    EXPECT_EQ(decode_partition(encode_partition(offline)), offline);
}

TEST(topic_records, values_that_are_not_strata_records_are_refused) {
    EXPECT_FALSE(decode_topic("not json"));
    EXPECT_FALSE(decode_topic(R"({"partitions":3})")) << "no id";
    EXPECT_FALSE(decode_topic(R"({"id":"zz","partitions":3})"));
    EXPECT_FALSE(decode_topic(R"({"id":")" + uuid_hex(kafka::uuid::random()) + R"(","partitions":-2})"));
    EXPECT_FALSE(decode_topic(R"({"id":")" + uuid_hex(kafka::uuid::random()) + R"(","partitions":1,"configs":{"a":1}})"));
    EXPECT_FALSE(decode_partition(R"({"replicas":[1],"isr":[1],"leader":1,"leader_epoch":0})")) << "no partition epoch";
    EXPECT_FALSE(decode_partition(R"({"replicas":[1,"2"],"isr":[1],"leader":1,"leader_epoch":0,"partition_epoch":0})"));
    EXPECT_FALSE(decode_partition(R"({"replicas":[1],"isr":[1],"leader":4294967296,"leader_epoch":0,"partition_epoch":0})"));
}

} // namespace
} // namespace strata::cluster::test
