// "reader can read writer": every document the writer schema accepts, the
// reader accepts. Each rule has a compatible and an incompatible evolution.

#include <gtest/gtest.h>

#include "strata/schema/format.h"

namespace strata::schema {
namespace {

std::vector<std::string> incompatibilities(const std::string& reader, const std::string& writer,
                                           std::map<std::string, std::string> references = {}) {
    auto r = json_format().parse({schema_type::json, reader, references});
    auto w = json_format().parse({schema_type::json, writer, references});
    EXPECT_TRUE(r.has_value()) << reader;
    EXPECT_TRUE(w.has_value()) << writer;
    if (!r || !w) return {"unparsed"};
    return json_format().read_incompatibilities(**r, **w);
}

std::string joined(const std::vector<std::string>& issues) {
    std::string out;
    for (const auto& issue : issues) out += issue + "\n";
    return out;
}

void expect_compatible(const std::string& reader, const std::string& writer,
                       std::map<std::string, std::string> references = {}) {
    auto issues = incompatibilities(reader, writer, std::move(references));
    EXPECT_TRUE(issues.empty()) << "reader " << reader << "\nwriter " << writer << "\n" << joined(issues);
}

// Some finding starts with "RULE at #path".
void expect_rule(const std::string& reader, const std::string& writer, const std::string& rule_at_path,
                 std::map<std::string, std::string> references = {}) {
    auto issues = incompatibilities(reader, writer, std::move(references));
    bool found = false;
    for (const auto& issue : issues) found = found || issue.starts_with(rule_at_path + ":");
    EXPECT_TRUE(found) << "expected " << rule_at_path << "\nreader " << reader << "\nwriter " << writer << "\n"
                       << joined(issues);
}

TEST(json_compatibility, types_may_widen_but_not_narrow) {
    expect_compatible(R"({"type": "number"})", R"({"type": "integer"})");
    expect_compatible(R"({"type": ["string", "null"]})", R"({"type": "string"})");
    expect_compatible(R"({"type": "string"})", R"({"enum": ["a", "b"]})");
    expect_rule(R"({"type": "integer"})", R"({"type": "number"})", "TYPE_NARROWED at #");
    expect_rule(R"({"type": "string"})", R"({"type": ["string", "null"]})", "TYPE_NARROWED at #");
    expect_rule(R"({"type": "integer"})", R"({"type": "string"})", "TYPE_CHANGED at #");
    expect_rule(R"({"type": "string"})", "{}", "TYPE_NARROWED at #");
    expect_compatible("{}", R"({"type": "string"})");
    expect_compatible("true", R"({"type": "string"})");
    expect_compatible(R"({"type": "string"})", "false");
}

TEST(json_compatibility, enums_may_grow_but_not_shrink) {
    expect_compatible(R"({"enum": ["a", "b", "c"]})", R"({"enum": ["a", "b"]})");
    expect_compatible(R"({"enum": ["a", "b"]})", R"({"const": "a"})");
    expect_rule(R"({"enum": ["a", "b"]})", R"({"enum": ["a", "b", "c"]})", "ENUM_ARRAY_NARROWED at #");
    expect_rule(R"({"enum": ["a"]})", R"({"type": "string"})", "ENUM_ARRAY_NARROWED at #");
}

TEST(json_compatibility, required_properties_may_not_be_added) {
    expect_compatible(R"({"required": ["a"]})", R"({"required": ["a", "b"]})");
    expect_rule(R"({"required": ["a", "b"]})", R"({"required": ["a"]})", "REQUIRED_ATTRIBUTE_ADDED at #/required");
}

TEST(json_compatibility, properties_added_to_an_open_writer_must_accept_anything) {
    const std::string open_writer = R"({"type": "object", "properties": {"a": {"type": "string"}}})";
    const std::string closed_writer =
        R"({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": false})";
    const std::string reader_with_b =
        R"({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}})";
    expect_rule(reader_with_b, open_writer, "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL at #/properties/b");
    expect_compatible(reader_with_b, closed_writer);
    expect_compatible(R"({"type": "object", "properties": {"a": {"type": "string"}, "b": {}}})", open_writer);
    // A writer whose other properties are integers can only have an integer "b".
    expect_compatible(R"({"properties": {"b": {"type": "number"}}})",
                      R"({"additionalProperties": {"type": "integer"}})");
    expect_rule(R"({"properties": {"b": {"type": "integer"}}})", R"({"additionalProperties": {"type": "number"}})",
                "TYPE_NARROWED at #/properties/b");
}

TEST(json_compatibility, a_closed_reader_must_declare_what_the_writer_has) {
    const std::string writer = R"({"properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                                   "additionalProperties": false})";
    expect_rule(R"({"properties": {"a": {"type": "string"}}, "additionalProperties": false})", writer,
                "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL at #/properties/b");
    expect_compatible(R"({"properties": {"a": {"type": "string"}}})", writer);
    expect_compatible(R"({"properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "string"}})",
                      writer);
    expect_rule(R"({"properties": {"a": {"type": "string"}}, "additionalProperties": false})",
                R"({"properties": {"a": {"type": "string"}}})", "ADDITIONAL_PROPERTIES_REMOVED at #/additionalProperties");
    expect_compatible(R"({"additionalProperties": {"type": "number"}})", R"({"additionalProperties": {"type": "integer"}})");
    expect_rule(R"({"additionalProperties": {"type": "integer"}})", R"({"additionalProperties": {"type": "number"}})",
                "TYPE_NARROWED at #/additionalProperties");
    expect_rule(R"({"additionalProperties": {"type": "integer"}})", "{}",
                "ADDITIONAL_PROPERTIES_NARROWED at #/additionalProperties");
}

TEST(json_compatibility, string_bounds_may_loosen_but_not_tighten) {
    expect_compatible(R"({"type": "string", "maxLength": 20})", R"({"type": "string", "maxLength": 10})");
    expect_compatible(R"({"type": "string"})", R"({"type": "string", "maxLength": 10})");
    expect_rule(R"({"type": "string", "maxLength": 10})", R"({"type": "string"})", "MAX_LENGTH_ADDED at #/maxLength");
    expect_rule(R"({"type": "string", "maxLength": 10})", R"({"type": "string", "maxLength": 20})",
                "MAX_LENGTH_DECREASED at #/maxLength");
    expect_compatible(R"({"type": "string", "minLength": 1})", R"({"type": "string", "minLength": 2})");
    expect_rule(R"({"type": "string", "minLength": 3})", R"({"type": "string", "minLength": 2})",
                "MIN_LENGTH_INCREASED at #/minLength");
    expect_compatible(R"({"type": "string", "pattern": "^a"})", R"({"type": "string", "pattern": "^a"})");
    expect_rule(R"({"type": "string", "pattern": "^a"})", R"({"type": "string", "pattern": "^b"})",
                "PATTERN_CHANGED at #/pattern");
    // String bounds say nothing about numbers.
    expect_compatible(R"({"type": "integer", "maxLength": 1})", R"({"type": "integer"})");
}

TEST(json_compatibility, numeric_bounds_follow_each_drafts_spelling) {
    expect_compatible(R"({"maximum": 20})", R"({"maximum": 10})");
    expect_rule(R"({"maximum": 5})", R"({"maximum": 10})", "MAXIMUM_DECREASED at #");
    expect_rule(R"({"minimum": 0})", R"({"type": "integer"})", "MINIMUM_ADDED at #");
    expect_compatible(R"({"minimum": 0})", R"({"exclusiveMinimum": 0})");
    expect_rule(R"({"exclusiveMaximum": 10})", R"({"maximum": 10})", "EXCLUSIVE_MAXIMUM_DECREASED at #");
    // Draft 4's boolean exclusiveMaximum is the same bound as draft 7's number.
    expect_compatible(R"({"exclusiveMaximum": 10})",
                      R"({"$schema": "http://json-schema.org/draft-04/schema#", "maximum": 10, "exclusiveMaximum": true})");
    expect_compatible(R"({"multipleOf": 2})", R"({"multipleOf": 4})");
    expect_rule(R"({"multipleOf": 2})", R"({"multipleOf": 3})", "MULTIPLE_OF_CHANGED at #/multipleOf");
}

TEST(json_compatibility, arrays_compare_items_and_bounds) {
    expect_compatible(R"({"type": "array", "items": {"type": "number"}, "maxItems": 5})",
                      R"({"type": "array", "items": {"type": "integer"}, "maxItems": 3})");
    expect_rule(R"({"type": "array", "items": {"type": "integer"}})", R"({"type": "array", "items": {"type": "number"}})",
                "TYPE_NARROWED at #/items");
    expect_rule(R"({"type": "array", "maxItems": 3})", R"({"type": "array", "maxItems": 5})",
                "MAX_ITEMS_DECREASED at #/maxItems");
    expect_rule(R"({"type": "array", "uniqueItems": true})", R"({"type": "array"})", "UNIQUE_ITEMS_ADDED at #/uniqueItems");
}

TEST(json_compatibility, nested_objects_and_references_are_compared_recursively) {
    const std::string writer = R"({"properties": {"address": {"$ref": "#/definitions/address"}},
        "definitions": {"address": {"type": "object", "properties": {"zip": {"type": "string"}}}}})";
    expect_compatible(writer, writer);
    expect_rule(R"({"properties": {"address": {"type": "object", "properties": {"zip": {"type": "string"}},
                    "required": ["zip"]}}})",
                writer, "REQUIRED_ATTRIBUTE_ADDED at #/properties/address/required");
    std::map<std::string, std::string> refs{{"zip.json", R"({"type": "integer"})"}};
    expect_rule(R"({"properties": {"zip": {"$ref": "zip.json"}}})", R"({"properties": {"zip": {"type": "number"}}})",
                "TYPE_NARROWED at #/properties/zip", refs);
    expect_compatible(R"({"properties": {"zip": {"type": "number"}}})", R"({"properties": {"zip": {"$ref": "zip.json"}}})",
                      refs);
    const std::string tree = R"({"type": "object", "properties": {"value": {"type": "integer"},
                                  "children": {"type": "array", "items": {"$ref": "#"}}}})";
    const std::string wider_tree = R"({"type": "object", "properties": {"value": {"type": "number"},
                                        "children": {"type": "array", "items": {"$ref": "#"}}}})";
    expect_compatible(wider_tree, tree);
    expect_rule(tree, wider_tree, "TYPE_NARROWED at #/properties/value");
}

TEST(json_compatibility, combinators_compare_branch_by_branch) {
    expect_compatible(R"({"anyOf": [{"type": "null"}, {"type": "string"}]})", R"({"type": "string"})");
    expect_rule(R"({"anyOf": [{"type": "null"}, {"type": "integer"}]})", R"({"type": "string"})",
                "SUM_TYPE_NARROWED at #/anyOf");
    expect_compatible(R"({"oneOf": [{"type": "string"}, {"type": "integer"}]})",
                      R"({"oneOf": [{"type": "string"}, {"type": "integer"}]})");
    expect_rule(R"({"oneOf": [{"type": "string"}, {"type": "integer"}]})",
                R"({"oneOf": [{"type": "string"}, {"type": "number"}]})", "TYPE_NARROWED at #/oneOf/1");
    expect_compatible(R"({"not": {"type": "string"}})", R"({"not": {"type": ["string", "null"]}})");
    expect_rule(R"({"not": {"type": ["string", "null"]}})", R"({"not": {"type": "string"}})", "TYPE_NARROWED at #/not");
}

TEST(json_compatibility, keywords_not_analysed_must_be_unchanged) {
    expect_compatible(R"({"propertyNames": {"maxLength": 3}})", R"({"propertyNames": {"maxLength": 3}})");
    expect_rule(R"({"propertyNames": {"maxLength": 3}})", "{}", "PROPERTY_NAMES_CHANGED at #/propertyNames");
    expect_rule(R"({"format": "date"})", R"({"format": "date-time"})", "FORMAT_CHANGED at #/format");
    // Only the writer's: it narrows what the writer writes.
    expect_compatible("{}", R"({"propertyNames": {"maxLength": 3}})");
}

} // namespace
} // namespace strata::schema
