#include "strata/schema/schema_store.h"

#include <gtest/gtest.h>

namespace strata::schema {
namespace {

schema_version_record version(std::string subject, int32_t v, int32_t id, bool deleted = false) {
    return {std::move(subject), v, id, {schema_type::avro, "\"s" + std::to_string(id) + "\"", {}}, deleted};
}

// Records as another registry writing the same topic would leave them:
// replaying must give the state they describe.
TEST(schema_store, replays_records_written_by_another_registry) {
    schema_store s;
    s.apply(version("a", 1, 10));
    s.apply(version("a", 2, 11));
    s.apply(version("a", 3, 12));
    s.apply(version("b", 1, 11));
    // A DELETE_SUBJECT record alone soft-deletes the versions up to its own.
    s.apply(delete_subject_record{"a", 2});
    ASSERT_TRUE(s.versions("a"));
    EXPECT_TRUE(s.versions("a")->at(1).deleted);
    EXPECT_TRUE(s.versions("a")->at(2).deleted);
    EXPECT_FALSE(s.versions("a")->at(3).deleted);
    EXPECT_EQ(s.latest_version("a", false), 3);
    // Tombstones remove versions; an ID lives while any version has it.
    s.apply(schema_tombstone_record{"a", 2});
    EXPECT_TRUE(s.schema(11));
    s.apply(schema_tombstone_record{"b", 1});
    EXPECT_FALSE(s.schema(11));
    EXPECT_EQ(s.subjects(true), std::vector<std::string>{"a"});
    EXPECT_EQ(s.next_id(), 13);
    EXPECT_EQ(s.live_schema_count(), 2u);

    s.apply(config_record{std::nullopt, compatibility_level::forward});
    s.apply(config_record{std::string("a"), compatibility_level::none});
    EXPECT_EQ(s.effective_compatibility("a"), compatibility_level::none);
    EXPECT_EQ(s.effective_compatibility("zzz"), compatibility_level::forward);
    s.apply(config_record{std::string("a"), std::nullopt});
    EXPECT_EQ(s.effective_compatibility("a"), compatibility_level::forward);
    s.apply(mode_record{std::nullopt, registry_mode::readonly});
    EXPECT_EQ(s.effective_mode("a"), registry_mode::readonly);
    s.apply(mode_record{std::nullopt, std::nullopt});
    EXPECT_EQ(s.effective_mode("a"), registry_mode::readwrite);
}

TEST(schema_store, a_subject_with_only_soft_deleted_versions_is_listed_only_when_asked) {
    schema_store s;
    s.apply(version("a", 1, 1));
    s.apply(version("a", 1, 1, true));
    EXPECT_TRUE(s.subjects(false).empty());
    EXPECT_EQ(s.subjects(true), std::vector<std::string>{"a"});
    EXPECT_FALSE(s.latest_version("a", false));
    EXPECT_EQ(s.latest_version("a", true), 1);
    EXPECT_EQ(s.live_subject_count(), 0u);
    EXPECT_EQ(s.versions_with_id(1, false).size(), 0u);
    EXPECT_EQ(s.versions_with_id(1, true).size(), 1u);
}

} // namespace
} // namespace strata::schema
