#include <gtest/gtest.h>

#include "strata/schema/format.h"

namespace strata::schema {
namespace {

result<schema_ptr, std::string> parse(std::string text, std::map<std::string, std::string> dependencies = {}) {
    return json_format().parse({schema_type::json, std::move(text), std::move(dependencies)});
}

schema_ptr parsed(std::string text, std::map<std::string, std::string> dependencies = {}) {
    auto r = parse(std::move(text), std::move(dependencies));
    EXPECT_TRUE(r.has_value()) << r.error();
    return r ? *r : nullptr;
}

std::optional<std::string> check(const schema_ptr& schema, std::string_view record) {
    return schema->validate({reinterpret_cast<const uint8_t*>(record.data()), record.size()});
}

TEST(json_format, invalid_schemas_are_parse_errors_that_say_why) {
    auto not_json = parse("{\"type\": ");
    ASSERT_FALSE(not_json);
    EXPECT_NE(not_json.error().find("not valid JSON"), std::string::npos) << not_json.error();
    auto not_a_schema = parse("[1, 2]");
    ASSERT_FALSE(not_a_schema);
    EXPECT_NE(not_a_schema.error().find("object or a boolean"), std::string::npos);
    auto bad_keyword = parse(R"({"type": "object", "required": 5})");
    ASSERT_FALSE(bad_keyword);
    EXPECT_NE(bad_keyword.error().find("Invalid schema"), std::string::npos);
    auto bad_pattern = parse(R"({"pattern": "(["})");
    ASSERT_FALSE(bad_pattern);
    EXPECT_NE(bad_pattern.error().find("not a valid regular expression"), std::string::npos) << bad_pattern.error();
    auto bad_pattern_property = parse(R"({"patternProperties": {"(": {}}})");
    ASSERT_FALSE(bad_pattern_property);
    EXPECT_NE(bad_pattern_property.error().find("patternProperties"), std::string::npos);
    auto missing_reference = parse(R"({"$ref": "customer.json"})");
    ASSERT_FALSE(missing_reference);
    EXPECT_NE(missing_reference.error().find("customer.json"), std::string::npos);
}

TEST(json_format, draft_follows_schema_keyword_and_defaults_to_draft7) {
    // Draft 4 spells an exclusive bound as a boolean beside "maximum"; draft 6
    // and 7 make "exclusiveMaximum" the bound itself.
    auto draft4 = parsed(R"({"$schema": "http://json-schema.org/draft-04/schema#", "maximum": 5,
                             "exclusiveMaximum": true})");
    EXPECT_TRUE(check(draft4, "5").has_value());
    EXPECT_FALSE(check(draft4, "4").has_value());
    EXPECT_FALSE(parse(R"({"maximum": 5, "exclusiveMaximum": true})"));
    auto draft7 = parsed(R"({"exclusiveMaximum": 5})");
    EXPECT_TRUE(check(draft7, "5").has_value());
    EXPECT_FALSE(check(draft7, "4").has_value());
    auto later = parse(R"({"$schema": "https://json-schema.org/draft/2020-12/schema"})");
    ASSERT_FALSE(later);
    EXPECT_NE(later.error().find("2020-12"), std::string::npos);
}

TEST(json_format, references_resolve_to_the_registered_schemas_they_name) {
    std::map<std::string, std::string> references{
        {"address.json", R"({"type": "object", "properties": {"zip": {"type": "string"}}, "required": ["zip"]})"}};
    auto order = parsed(R"({"type": "object", "properties": {"ship_to": {"$ref": "address.json"}}})", references);
    EXPECT_FALSE(check(order, R"({"ship_to": {"zip": "75001"}})").has_value());
    auto error = check(order, R"({"ship_to": {"zip": 75001}})");
    ASSERT_TRUE(error.has_value());
    EXPECT_NE(error->find("/ship_to/zip"), std::string::npos) << *error;
    // The reference's name resolved against the schema's "$id" still finds it.
    auto with_id = parsed(R"({"$id": "http://example.com/order.json", "$ref": "address.json"})", references);
    EXPECT_TRUE(check(with_id, R"({})").has_value());
}

TEST(json_format, self_applying_schemas_are_refused_and_recursive_ones_work) {
    // Each would make valijson recurse forever, at parse or at validation time.
    for (const char* cycle : {R"({"$ref": "#"})", R"({"allOf": [{"$ref": "#"}]})",
                              R"({"properties": {"a": {"anyOf": [{"$ref": "#/properties/a"}]}}})",
                              R"({"definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"not": {"$ref": "#/definitions/a"}}},
                                  "$ref": "#/definitions/a"})"}) {
        auto r = parse(cycle);
        ASSERT_FALSE(r) << cycle;
        EXPECT_NE(r.error().find("cycle"), std::string::npos) << r.error();
    }
    auto across = parse(R"({"$ref": "a.json"})", {{"a.json", R"({"$ref": "b.json"})"}, {"b.json", R"({"$ref": "a.json"})"}});
    EXPECT_FALSE(across);
    auto tree = parsed(R"({"type": "object", "properties": {"value": {"type": "integer"},
                           "children": {"type": "array", "items": {"$ref": "#"}}}})");
    EXPECT_FALSE(check(tree, R"({"value": 1, "children": [{"value": 2, "children": []}]})").has_value());
    auto error = check(tree, R"({"value": 1, "children": [{"value": "two"}]})");
    ASSERT_TRUE(error.has_value());
    EXPECT_NE(error->find("/children/0/value"), std::string::npos) << *error;
}

TEST(json_format, validation_errors_name_the_failing_path) {
    auto schema = parsed(R"({"type": "object", "properties": {"items": {"type": "array",
                             "items": {"type": "integer", "minimum": 0}}}})");
    EXPECT_FALSE(check(schema, R"({"items": [1, 2]})").has_value());
    auto error = check(schema, R"({"items": [1, -2]})");
    ASSERT_TRUE(error.has_value());
    EXPECT_NE(error->find("/items/1"), std::string::npos) << *error;
    auto not_json = check(schema, R"({"items": [1, )");
    ASSERT_TRUE(not_json.has_value());
    EXPECT_NE(not_json->find("not valid JSON"), std::string::npos);
    auto trailing = check(schema, R"({} {})");
    EXPECT_TRUE(trailing.has_value());
    auto root = check(schema, "5");
    ASSERT_TRUE(root.has_value());
    EXPECT_NE(root->find("document root"), std::string::npos) << *root;
}

TEST(json_format, hostile_records_are_refused_without_crashing_or_throwing) {
    // std::regex would recurse once per character here and overflow the stack.
    auto pattern = parsed(R"({"type": "string", "pattern": "^[a-z]+$"})");
    std::string long_string = "\"" + std::string(1 << 20, 'a') + "\"";
    EXPECT_FALSE(check(pattern, long_string).has_value());
    EXPECT_TRUE(check(pattern, "\"" + std::string(1 << 20, 'a') + "1\"").has_value());
    // valijson's own "format" check reads a number as a string and throws.
    auto format = parsed(R"({"format": "date-time"})");
    EXPECT_FALSE(check(format, "5").has_value());
    EXPECT_FALSE(check(format, R"("2024-02-29T10:00:00Z")").has_value());
    EXPECT_TRUE(check(format, R"("2023-02-29T10:00:00Z")").has_value());
    auto property_names = parsed(R"({"patternProperties": {"^[a-z]+$": {"type": "integer"}}})");
    EXPECT_FALSE(check(property_names, R"({"abc": 1})").has_value());
    auto long_name = check(property_names, "{\"" + std::string(100000, 'a') + "\": 1}");
    ASSERT_TRUE(long_name.has_value());
    EXPECT_NE(long_name->find("property name"), std::string::npos);
    // valijson compares every pair of items: 5e9 comparisons for these.
    auto unique = parsed(R"({"uniqueItems": true})");
    std::string distinct = "[0";
    for (int i = 1; i < 100000; ++i) distinct += "," + std::to_string(i);
    EXPECT_FALSE(check(unique, distinct + "]").has_value());
    EXPECT_TRUE(check(unique, distinct + ",99999]").has_value());
    auto repeated = check(unique, "[1, 1]");
    ASSERT_TRUE(repeated.has_value());
    EXPECT_NE(repeated->find("#0 and #1 are equal"), std::string::npos) << *repeated;
    EXPECT_TRUE(check(unique, R"([1, 1.0])").has_value());
    EXPECT_TRUE(check(unique, R"([{"a": 1, "b": [2]}, {"b": [2.0], "a": 1}])").has_value());
    EXPECT_FALSE(check(unique, R"([1, "1", [1], {"a": 1}, {"a": "1"}, null, false, 0])").has_value());
    // valijson records every failure it meets; a large record is only judged.
    auto integers = parsed(R"({"type": "array", "items": {"type": "integer"}})");
    std::string strings = "[\"a\"";
    for (int i = 0; i < 200000; ++i) strings += ",\"a\"";
    strings += "]";
    auto wrong = check(integers, strings);
    ASSERT_TRUE(wrong.has_value());
    EXPECT_NE(wrong->find("does not match the schema"), std::string::npos) << *wrong;
    std::string deep = std::string(1000, '[') + std::string(1000, ']');
    EXPECT_TRUE(check(parsed("{}"), deep).has_value());
}

TEST(json_format, properties_named_like_keywords_stay_properties) {
    auto schema = parsed(R"({"properties": {"default": {"type": "string", "pattern": "^[a-z]+$"},
                                            "uniqueItems": true, "enum": {"$ref": "a.json"}},
                             "additionalProperties": false})",
                         {{"a.json", R"({"type": "integer"})"}});
    std::string long_default = "{\"default\": \"" + std::string(1 << 20, 'a') + "\", \"uniqueItems\": true}";
    EXPECT_FALSE(check(schema, long_default).has_value());
    EXPECT_FALSE(check(schema, R"({"uniqueItems": [5, 5]})").has_value());
    EXPECT_TRUE(check(schema, R"({"other": 5})").has_value());
    EXPECT_FALSE(check(schema, R"({"enum": 5})").has_value());
    auto error = check(schema, R"({"enum": "five"})");
    ASSERT_TRUE(error.has_value());
    EXPECT_NE(error->find("/enum"), std::string::npos) << *error;
}

TEST(json_format, record_name_is_the_top_level_title) {
    auto titled = parsed(R"({"title": "com.example.Order", "properties": {"x": {"title": "inner"}}})");
    EXPECT_EQ(titled->record_name({}), "com.example.Order");
    EXPECT_EQ(parsed(R"({"properties": {"x": {"title": "inner"}}})")->record_name({}), std::nullopt);
    EXPECT_FALSE(parse(R"({"title": 5})"));
}

TEST(json_format, canonical_text_ignores_formatting_and_key_order) {
    auto a = parsed(R"({"type": "object", "properties": {"b": {"type": "number", "maximum": 1.5}, "a": {}}})");
    auto b = parsed("{\n  \"properties\":{\"a\":{},\"b\":{\"maximum\":1.5,\"type\":\"number\"}},\n  \"type\":\"object\"}");
    EXPECT_EQ(a->canonical_text(), b->canonical_text());
    EXPECT_EQ(a->canonical_text(), R"({"properties":{"a":{},"b":{"maximum":1.5,"type":"number"}},"type":"object"})");
    EXPECT_NE(a->canonical_text(), parsed(R"({"type": "object"})")->canonical_text());
    EXPECT_EQ(a->type(), schema_type::json);
}

} // namespace
} // namespace strata::schema
