#include "strata/schema/record_checker.h"

#include <gtest/gtest.h>

#include "fake_schemas.h"

namespace strata::schema {
namespace {

using testing::bytes;
using testing::framed;

cluster::schema_validation_config values(cluster::schema_check level,
                                         cluster::subject_strategy s = cluster::subject_strategy::topic_name) {
    cluster::schema_validation_config c;
    c.value = level;
    c.value_strategy = s;
    return c;
}

class record_checker_test : public ::testing::Test {
protected:
    std::optional<check_failure> check_value(const cluster::schema_validation_config& cfg, const std::string& v) {
        record_checker checker(&lookup_, "orders", cfg);
        return checker.check(std::nullopt, bytes(v));
    }
    testing::memory_lookup lookup_;
};

TEST_F(record_checker_test, id_mode_wants_a_registered_id_under_the_topics_subject) {
    lookup_.add(7, "orders-value");
    lookup_.add(8, "payments-value");
    auto id = values(cluster::schema_check::id);
    EXPECT_FALSE(check_value(id, framed(7, "anything")));  // `id` does not look at the data

    auto other_subject = check_value(id, framed(8, "ok"));
    ASSERT_TRUE(other_subject);
    EXPECT_EQ(other_subject->schema_id, 8);
    EXPECT_NE(other_subject->reason.find("not registered under subject orders-value"), std::string::npos);

    auto unknown = check_value(id, framed(99, "ok"));
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->schema_id, 99);
    EXPECT_NE(unknown->reason.find("schema ID 99"), std::string::npos);
}

TEST_F(record_checker_test, payloads_without_the_prefix_fail_with_no_schema_id) {
    lookup_.add(7, "orders-value");
    auto id = values(cluster::schema_check::id);
    auto plain = check_value(id, "{\"json\": true}");
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->schema_id, -1);
    EXPECT_NE(plain->reason.find("no schema ID"), std::string::npos);
    auto short_one = check_value(id, std::string("\0\0\0", 3));
    ASSERT_TRUE(short_one);
    EXPECT_NE(short_one->reason.find("too short"), std::string::npos);
}

TEST_F(record_checker_test, full_mode_also_validates_the_data) {
    lookup_.add(7, "orders-value");
    auto full = values(cluster::schema_check::full);
    EXPECT_FALSE(check_value(full, framed(7, "ok fine")));
    auto bad = check_value(full, framed(7, "not ok"));
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->schema_id, 7);
    EXPECT_NE(bad->reason.find("does not match schema ID 7"), std::string::npos);
}

TEST_F(record_checker_test, record_name_strategies_derive_the_subject_from_the_schema) {
    lookup_.add(7, "com.example.Order");
    lookup_.add(8, "orders-com.example.Order");
    auto record = values(cluster::schema_check::id, cluster::subject_strategy::record_name);
    auto topic_record = values(cluster::schema_check::id, cluster::subject_strategy::topic_record_name);
    EXPECT_FALSE(check_value(record, framed(7, "x")));
    EXPECT_TRUE(check_value(record, framed(8, "x")));
    EXPECT_FALSE(check_value(topic_record, framed(8, "x")));
    EXPECT_TRUE(check_value(topic_record, framed(7, "x")));
}

TEST_F(record_checker_test, keys_are_checked_on_their_own_and_nulls_are_not_checked) {
    lookup_.add(1, "orders-key");
    cluster::schema_validation_config cfg;
    cfg.key = cluster::schema_check::full;
    record_checker checker(&lookup_, "orders", cfg);
    std::string good = framed(1, "ok"), bad = framed(1, "no");
    EXPECT_FALSE(checker.check(bytes(good), bytes("not framed at all")));  // values are not validated
    EXPECT_FALSE(checker.check(std::nullopt, std::nullopt));
    auto failure = checker.check(bytes(bad), std::nullopt);
    ASSERT_TRUE(failure);
    EXPECT_EQ(failure->reason.rfind("key", 0), 0u);
}

TEST_F(record_checker_test, without_a_registry_every_checked_record_fails) {
    auto cfg = values(cluster::schema_check::id);
    record_checker checker(nullptr, "orders", cfg);
    std::string v = framed(1, "ok");
    EXPECT_TRUE(checker.check(std::nullopt, bytes(v)));
}

} // namespace
} // namespace strata::schema
