#include "strata/schema/schema_records.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace strata::schema {
namespace {

namespace json = boost::json;

TEST(schema_records, schema_record_is_confluents_json) {
    schema_version_record r{"orders-value", 3, 7, {schema_type::json, "{\"type\":\"object\"}", {{"a.json", "a", 1}}},
                            false};
    auto e = encode_record(r);
    EXPECT_EQ(json::parse(e.key),
              json::parse(R"({"keytype":"SCHEMA","subject":"orders-value","version":3,"magic":1})"));
    ASSERT_TRUE(e.value);
    auto v = json::parse(*e.value).as_object();
    EXPECT_EQ(v["id"], 7);
    EXPECT_EQ(v["schemaType"], "JSON");
    EXPECT_EQ(v["schema"], "{\"type\":\"object\"}");
    EXPECT_EQ(v["deleted"], false);
    EXPECT_EQ(v["references"], json::parse(R"([{"name":"a.json","subject":"a","version":1}])"));

    auto back = decode_record(e.key, *e.value);
    ASSERT_TRUE(back);
    const auto& d = std::get<schema_version_record>(*back);
    EXPECT_EQ(d.subject, "orders-value");
    EXPECT_EQ(d.version, 3);
    EXPECT_EQ(d.id, 7);
    EXPECT_EQ(d.definition, r.definition);
}

TEST(schema_records, avro_omits_its_type_and_a_null_value_is_a_tombstone) {
    auto e = encode_record(schema_version_record{"s", 1, 1, {schema_type::avro, "\"string\"", {}}, true});
    auto v = json::parse(*e.value).as_object();
    EXPECT_FALSE(v.contains("schemaType"));
    EXPECT_FALSE(v.contains("references"));
    auto back = std::get<schema_version_record>(*decode_record(e.key, *e.value));
    EXPECT_EQ(back.definition.type, schema_type::avro);
    EXPECT_TRUE(back.deleted);

    auto t = decode_record(e.key, std::nullopt);
    ASSERT_TRUE(t);
    EXPECT_EQ(std::get<schema_tombstone_record>(*t).version, 1);
}

TEST(schema_records, config_mode_and_delete_subject_round_trip) {
    auto c = encode_record(config_record{std::nullopt, compatibility_level::full_transitive});
    EXPECT_EQ(json::parse(c.key), json::parse(R"({"keytype":"CONFIG","subject":null,"magic":0})"));
    EXPECT_EQ(json::parse(*c.value), json::parse(R"({"compatibilityLevel":"FULL_TRANSITIVE"})"));
    auto cb = std::get<config_record>(*decode_record(c.key, *c.value));
    EXPECT_FALSE(cb.subject);
    EXPECT_EQ(cb.level, compatibility_level::full_transitive);

    auto cleared = std::get<config_record>(*decode_record(R"({"keytype":"CONFIG","subject":"s","magic":0})", std::nullopt));
    EXPECT_EQ(cleared.subject, "s");
    EXPECT_FALSE(cleared.level);

    auto m = encode_record(mode_record{std::string("s"), registry_mode::readonly});
    auto mb = std::get<mode_record>(*decode_record(m.key, *m.value));
    EXPECT_EQ(mb.subject, "s");
    EXPECT_EQ(mb.mode, registry_mode::readonly);

    auto d = encode_record(delete_subject_record{"s", 4});
    EXPECT_EQ(json::parse(*d.value), json::parse(R"({"subject":"s","version":4})"));
    EXPECT_EQ(std::get<delete_subject_record>(*decode_record(d.key, *d.value)).version, 4);
}

TEST(schema_records, unknown_or_broken_records_are_skipped) {
    EXPECT_FALSE(decode_record(R"({"keytype":"NOOP","magic":0})", std::string_view("{}")));
    EXPECT_FALSE(decode_record("not json", std::string_view("{}")));
    EXPECT_FALSE(decode_record(R"({"keytype":"SCHEMA","subject":"s","version":1,"magic":1})",
                               std::string_view(R"({"subject":"s","version":1})")));
    EXPECT_FALSE(decode_record(R"({"keytype":"CONFIG","subject":null,"magic":0})",
                               std::string_view(R"({"compatibilityLevel":"SIDEWAYS"})")));
}

} // namespace
} // namespace strata::schema
