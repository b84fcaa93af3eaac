// The canonical text decides whether two registrations are the same schema:
// spelling differences collapse, meaning differences (docs, defaults, order,
// aliases, properties) do not, and the text parses back to itself.
#include <gtest/gtest.h>

#include "strata/schema/format.h"

namespace strata::schema {
namespace {

std::string canonical(const std::string& text, std::map<std::string, std::string> deps = {}) {
    auto r = avro_format().parse(schema_source{schema_type::avro, text, std::move(deps)});
    EXPECT_TRUE(r) << text << ": " << (r ? "" : r.error());
    return r ? (*r)->canonical_text() : std::string();
}

const char* base = R"({"type":"record","name":"User","namespace":"com.example","doc":"A user",
    "fields":[
      {"name":"name","type":"string","doc":"full name"},
      {"name":"age","type":["null","int"],"default":null},
      {"name":"kind","type":{"type":"enum","name":"Kind","symbols":["A","B"],"default":"A"}},
      {"name":"again","type":"Kind"},
      {"name":"score","type":"double","default":1.5},
      {"name":"tags","type":{"type":"array","items":"string"},"default":[]}
    ]})";

TEST(avro_canonical, spelling_differences_give_the_same_text) {
    const std::string reference = canonical(base);
    // Attribute order, whitespace, {"type":"x"} for primitives, full names.
    const char* respelled = R"({"fields":[{"type":{"type":"string"},"doc":"full name","name":"name"},
        {"default":null,"name":"age","type":["null",{"type":"int"}]},
        {"type":{"symbols":["A","B"],"name":"com.example.Kind","type":"enum","default":"A"},"name":"kind"},
        {"name":"again","type":"com.example.Kind"},
        {"name":"score","default":1.5,"type":"double"},
        {"name":"tags","default":[],"type":{"items":{"type":"string"},"type":"array"}}],
      "doc":"A user","name":"com.example.User","type":"record"})";
    EXPECT_EQ(canonical(respelled), reference);
    // The text is a fixed point: parsing it gives it back.
    EXPECT_EQ(canonical(reference), reference);
}

TEST(avro_canonical, documented_form) {
    EXPECT_EQ(canonical(R"({ "namespace" : "n", "type" : "record", "name" : "R", "fields" : [
                  {"name":"a","type":{"type":"fixed","name":"F","size":2},"order":"descending","aliases":["b"]},
                  {"name":"c","type":"F"},
                  {"name":"d","type":{"type":"long","logicalType":"timestamp-millis"},"zz":1,"aa":{"y":2,"x":[true]}}]})"),
              R"({"type":"record","name":"n.R","fields":[)"
              R"({"name":"a","type":{"type":"fixed","name":"n.F","size":2},"order":"descending","aliases":["b"]},)"
              R"({"name":"c","type":"n.F"},)"
              R"({"name":"d","type":{"type":"long","logicalType":"timestamp-millis"},"aa":{"x":[true],"y":2},"zz":1}]})");
}

TEST(avro_canonical, meaning_differences_give_different_texts) {
    const std::string reference = canonical(base);
    auto differs = [&](const std::string& from, const std::string& to) {
        std::string changed = base;
        auto at = changed.find(from);
        ASSERT_NE(at, std::string::npos) << from;
        changed.replace(at, from.size(), to);
        EXPECT_NE(canonical(changed), reference) << from << " -> " << to;
    };
    differs(R"("doc":"A user")", R"("doc":"Someone")");
    differs(R"("default":1.5)", R"("default":2.5)");
    differs(R"("default":null)", R"("default":null,"order":"ignore")");
    differs(R"("doc":"full name")", R"("doc":"full name","aliases":["fullname"])");
    differs(R"("default":"A")", R"("default":"B")");
    differs(R"("name":"name","type":"string")", R"("name":"name","type":{"type":"string","logicalType":"uuid"})");
    differs(R"("namespace":"com.example")", R"("namespace":"com.other")");
}

TEST(avro_canonical, null_namespace_inside_a_namespace_survives) {
    // E is in the null namespace although nested in namespace "a"; the text
    // must keep it there, or a reparse would move it to a.E.
    const std::string text = canonical(R"({"type":"record","name":"R","namespace":"a","fields":[
        {"name":"x","type":{"type":"enum","name":"E","namespace":"","symbols":["P"]}}]})");
    EXPECT_NE(text.find(R"("name":"E","namespace":"")"), std::string::npos) << text;
    EXPECT_EQ(canonical(text), text);
}

TEST(avro_canonical, numbers_and_strings_in_defaults_are_normalized) {
    auto with_default = [](const std::string& type, const std::string& d) {
        return canonical(R"({"type":"record","name":"R","fields":[{"name":"f","type":")" + type + R"(","default":)" +
                         d + "}]}");
    };
    EXPECT_EQ(with_default("double", "2.50"), with_default("double", "2.5e0"));
    EXPECT_EQ(with_default("string", "\"\\u0041\""), with_default("string", "\"A\""));
    // As written, like Confluent's text: an integer and a double.
    EXPECT_NE(with_default("double", "2"), with_default("double", "2.0"));
}

} // namespace
} // namespace strata::schema
