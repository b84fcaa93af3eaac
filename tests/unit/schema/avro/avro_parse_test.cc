// Avro schema parsing through the format interface: names and namespaces,
// named references inside a schema and to referenced schemas, the errors a
// registry returns as 42201, default checks and lenient logical types.
#include <gtest/gtest.h>

#include "strata/schema/format.h"

namespace strata::schema {
namespace {

result<schema_ptr, std::string> parse(std::string text, std::map<std::string, std::string> deps = {}) {
    return avro_format().parse(schema_source{schema_type::avro, std::move(text), std::move(deps)});
}

std::string parse_error(std::string text, std::map<std::string, std::string> deps = {}) {
    auto r = parse(std::move(text), std::move(deps));
    EXPECT_FALSE(r.has_value());
    return r ? std::string() : r.error();
}

std::optional<std::string> name_of(const schema_ptr& s) { return s->record_name({}); }

TEST(avro_parse, primitives_in_both_spellings) {
    for (const char* p : {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}) {
        auto bare = parse(std::string("\"") + p + "\"");
        ASSERT_TRUE(bare) << p << ": " << bare.error();
        auto object = parse(std::string("{\"type\":\"") + p + "\"}");
        ASSERT_TRUE(object) << p;
        EXPECT_EQ((*bare)->canonical_text(), (*object)->canonical_text());
        EXPECT_EQ((*bare)->type(), schema_type::avro);
    }
}

TEST(avro_parse, record_full_name_from_namespace_or_dotted_name) {
    auto a = parse(R"({"type":"record","name":"User","namespace":"com.example","fields":[]})");
    ASSERT_TRUE(a);
    EXPECT_EQ(name_of(*a), "com.example.User");
    // A dotted name ignores the namespace attribute.
    auto b = parse(R"({"type":"record","name":"org.x.User","namespace":"com.example","fields":[]})");
    ASSERT_TRUE(b);
    EXPECT_EQ(name_of(*b), "org.x.User");
    auto c = parse(R"({"type":"record","name":"User","fields":[]})");
    ASSERT_TRUE(c);
    EXPECT_EQ(name_of(*c), "User");
}

TEST(avro_parse, record_name_only_for_a_top_level_record) {
    // Confluent's AvroSchema.name() is null for anything but a record.
    auto e = parse(R"({"type":"enum","name":"a.E","symbols":["X"]})");
    ASSERT_TRUE(e);
    EXPECT_FALSE(name_of(*e).has_value());
    auto s = parse(R"("string")");
    ASSERT_TRUE(s);
    EXPECT_FALSE(name_of(*s).has_value());
    auto u = parse(R"(["null",{"type":"record","name":"R","fields":[]}])");
    ASSERT_TRUE(u);
    EXPECT_FALSE(name_of(*u).has_value());
}

TEST(avro_parse, nested_names_inherit_the_enclosing_namespace) {
    // "Inner" is defined as a.b.Inner and referred to relatively and fully.
    auto r = parse(R"({"type":"record","name":"Outer","namespace":"a.b","fields":[
        {"name":"x","type":{"type":"record","name":"Inner","fields":[]}},
        {"name":"y","type":"Inner"},
        {"name":"z","type":"a.b.Inner"},
        {"name":"w","type":{"type":"fixed","name":"F","namespace":"c","size":2}},
        {"name":"v","type":"c.F"}]})");
    ASSERT_TRUE(r) << r.error();
    // F lives in c, so the relative name does not find it.
    EXPECT_NE(parse_error(R"({"type":"record","name":"Outer","namespace":"a.b","fields":[
        {"name":"w","type":{"type":"fixed","name":"F","namespace":"c","size":2}},
        {"name":"v","type":"F"}]})").find("Undefined name: \"F\""), std::string::npos);
}

TEST(avro_parse, null_namespace_names_resolve_from_inside_a_namespace) {
    // Java Avro falls back to the null namespace for an unqualified name.
    auto r = parse(R"({"type":"record","name":"Outer","namespace":"a","fields":[
        {"name":"x","type":{"type":"enum","name":"E","namespace":"","symbols":["P"]}},
        {"name":"y","type":"E"}]})");
    ASSERT_TRUE(r) << r.error();
}

TEST(avro_parse, recursive_types_refer_to_themselves) {
    auto r = parse(R"({"type":"record","name":"Node","fields":[
        {"name":"value","type":"long"},
        {"name":"next","type":["null","Node"],"default":null}]})");
    ASSERT_TRUE(r) << r.error();
}

TEST(avro_parse, structural_errors) {
    EXPECT_NE(parse_error("{").find("Invalid schema JSON"), std::string::npos);
    EXPECT_NE(parse_error("").find("Invalid schema JSON"), std::string::npos);
    EXPECT_NE(parse_error("42").find("not a type name"), std::string::npos);
    EXPECT_NE(parse_error(R"("Missing")").find("Undefined name: \"Missing\""), std::string::npos);
    EXPECT_NE(parse_error(R"({"type":"strange"})").find("Undefined name: \"strange\""), std::string::npos);
    EXPECT_NE(parse_error(R"({"name":"x"})").find("No type"), std::string::npos);
    EXPECT_NE(parse_error(R"({"type":"record","fields":[]})").find("No name"), std::string::npos);
    EXPECT_NE(parse_error(R"({"type":"record","name":"R"})").find("no fields"), std::string::npos);
    EXPECT_NE(parse_error(R"({"type":"array"})").find("array has no \"items\""), std::string::npos);
    EXPECT_NE(parse_error(R"({"type":"map","items":"int"})").find("map has no \"values\""), std::string::npos);
    EXPECT_NE(parse_error(R"({"type":"fixed","name":"F"})").find("has no size"), std::string::npos);
    EXPECT_NE(parse_error(R"({"type":"fixed","name":"F","size":-1})").find("Invalid fixed size"), std::string::npos);
    EXPECT_NE(parse_error(R"({"type":"fixed","name":"F","size":"4"})").find("Invalid fixed size"), std::string::npos);
    EXPECT_NE(parse_error(R"({"type":"enum","name":"E"})").find("no symbols"), std::string::npos);
}

TEST(avro_parse, name_errors) {
    EXPECT_NE(parse_error(R"({"type":"record","name":"1x","fields":[]})").find("Illegal name: \"1x\""),
              std::string::npos);
    EXPECT_NE(parse_error(R"({"type":"record","name":"a-b","fields":[]})").find("Illegal name"), std::string::npos);
    EXPECT_NE(parse_error(R"({"type":"record","name":"R","namespace":"a.b","aliases":["x.1y"],"fields":[]})")
                  .find("Illegal alias: \"x.1y\""),
              std::string::npos);
    EXPECT_NE(parse_error(R"({"type":"record","name":"a.b.","fields":[]})").find("Illegal name"), std::string::npos);
    // Like Java Avro 1.11, only a full name's last part is checked.
    auto dashed = parse(R"({"type":"record","name":"R","namespace":"com.my-company","fields":[]})");
    ASSERT_TRUE(dashed) << dashed.error();
    EXPECT_EQ(name_of(*dashed), "com.my-company.R");
    EXPECT_NE(parse_error(R"({"type":"fixed","name":"int","size":1})").find("primitive"), std::string::npos);
    EXPECT_NE(parse_error(R"({"type":"record","name":"R","fields":[{"name":"x-y","type":"int"}]})")
                  .find("Illegal field name"),
              std::string::npos);
    EXPECT_NE(parse_error(R"({"type":"record","name":"R","fields":[
        {"name":"a","type":{"type":"fixed","name":"F","size":1}},
        {"name":"b","type":{"type":"fixed","name":"F","size":2}}]})")
                  .find("Can't redefine: F"),
              std::string::npos);
    EXPECT_NE(parse_error(R"({"type":"enum","name":"E","symbols":["A","9"]})").find("Illegal enum symbol"),
              std::string::npos);
}

TEST(avro_parse, record_field_errors) {
    EXPECT_NE(parse_error(R"({"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"a","type":"long"}]})")
                  .find("Duplicate field a in record R"),
              std::string::npos);
    EXPECT_NE(parse_error(R"({"type":"record","name":"R","fields":[{"name":"a"}]})").find("No field type"),
              std::string::npos);
    EXPECT_NE(parse_error(R"({"type":"record","name":"R","fields":[{"name":"a","type":"int","order":"up"}]})")
                  .find("Illegal order"),
              std::string::npos);
    auto ok = parse(R"({"type":"record","name":"R","fields":[{"name":"a","type":"int","order":"descending"},
        {"name":"b","type":"int","order":"ignore","aliases":["c"],"doc":"d"}]})");
    EXPECT_TRUE(ok) << ok.error();
}

TEST(avro_parse, union_rules) {
    EXPECT_NE(parse_error(R"(["null",["int","string"]])").find("Nested union"), std::string::npos);
    EXPECT_NE(parse_error(R"(["string","int","string"])").find("Duplicate in union: string"), std::string::npos);
    EXPECT_NE(parse_error(R"(["null",{"type":"array","items":"int"},{"type":"array","items":"string"}])")
                  .find("Duplicate in union: array"),
              std::string::npos);
    EXPECT_NE(parse_error(R"([{"type":"record","name":"R","fields":[]},"R"])").find("Duplicate in union: R"),
              std::string::npos);
    // Named types of different names may share a union.
    auto ok = parse(R"([{"type":"record","name":"A","fields":[]},{"type":"record","name":"B","fields":[]},"null"])");
    EXPECT_TRUE(ok) << ok.error();
}

TEST(avro_parse, enum_default_must_be_a_symbol) {
    EXPECT_NE(parse_error(R"({"type":"enum","name":"E","symbols":["A","B"],"default":"C"})").find("Enum Default"),
              std::string::npos);
    EXPECT_NE(parse_error(R"({"type":"enum","name":"E","symbols":["A","A"]})").find("Duplicate enum symbol: A"),
              std::string::npos);
    EXPECT_TRUE(parse(R"({"type":"enum","name":"E","symbols":["A","B"],"default":"B"})"));
}

std::string record_with(const std::string& type, const std::string& default_json) {
    return R"({"type":"record","name":"R","fields":[{"name":"f","type":)" + type + R"(,"default":)" + default_json +
           "}]}";
}

TEST(avro_parse, defaults_must_match_their_field_type) {
    struct the_case {
        std::string type, value;
        bool ok;
    };
    const std::vector<the_case> cases = {
        {R"("int")", "1", true},
        {R"("int")", R"("1")", false},
        {R"("int")", "1.5", false},
        {R"("int")", "2147483648", false},
        {R"("long")", "2147483648", true},
        {R"("long")", "true", false},
        {R"("float")", "1", true},
        {R"("double")", "1.5e300", true},
        {R"("double")", R"("NaN")", true},
        {R"("double")", R"("abc")", false},
        {R"("boolean")", "false", true},
        {R"("boolean")", "0", false},
        {R"("null")", "null", true},
        {R"("string")", "null", false},
        {R"("string")", R"("s")", true},
        {R"("bytes")", R"("\u00ff")", true},
        {R"(["null","string"])", "null", true},
        {R"(["string","null"])", "null", false},  // the first branch decides
        {R"(["string","null"])", R"("x")", true},
        {R"({"type":"array","items":"int"})", "[1,2]", true},
        {R"({"type":"array","items":"int"})", R"([1,"2"])", false},
        {R"({"type":"map","values":"long"})", R"({"a":1})", true},
        {R"({"type":"map","values":"long"})", "[]", false},
        {R"({"type":"enum","name":"E","symbols":["A"]})", R"("A")", true},
        {R"({"type":"fixed","name":"F","size":2})", R"("ab")", true},
        {R"({"type":"record","name":"S","fields":[{"name":"a","type":"int"},{"name":"b","type":"int","default":0}]})",
         R"({"a":1})", true},
        {R"({"type":"record","name":"S","fields":[{"name":"a","type":"int"}]})", "{}", false},
    };
    for (const auto& c : cases) {
        auto r = parse(record_with(c.type, c.value));
        EXPECT_EQ(bool(r), c.ok) << c.type << " default " << c.value;
        if (!r) {
            EXPECT_NE(r.error().find("Invalid default for field f"), std::string::npos) << r.error();
        }
    }
}

TEST(avro_parse, self_containing_default_is_refused_not_looped) {
    EXPECT_NE(parse_error(R"({"type":"record","name":"R","fields":[{"name":"next","type":"R","default":{}}]})")
                  .find("Invalid default"),
              std::string::npos);
}

TEST(avro_parse, invalid_logical_types_are_ignored_like_java) {
    for (const char* s : {
             R"({"type":"bytes","logicalType":"decimal"})",                                       // no precision
             R"({"type":"bytes","logicalType":"decimal","precision":2,"scale":3})",                // scale > precision
             R"({"type":"fixed","name":"D","size":2,"logicalType":"decimal","precision":10})",    // too many digits
             R"({"type":"string","logicalType":"date"})",
             R"({"type":"int","logicalType":"timestamp-millis"})",
             R"({"type":"fixed","name":"Dur","size":10,"logicalType":"duration"})",
             R"({"type":"long","logicalType":"no-such-type"})",
             R"({"type":"long","logicalType":7})",
         }) {
        auto r = parse(s);
        EXPECT_TRUE(r) << s << ": " << r.error();
    }
    for (const char* s : {
             R"({"type":"bytes","logicalType":"decimal","precision":9,"scale":2})",
             R"({"type":"fixed","name":"D","size":16,"logicalType":"decimal","precision":38})",
             R"({"type":"string","logicalType":"uuid"})",
             R"({"type":"int","logicalType":"date"})",
             R"({"type":"long","logicalType":"local-timestamp-micros"})",
             R"({"type":"fixed","name":"Dur","size":12,"logicalType":"duration"})",
         }) {
        auto r = parse(s);
        EXPECT_TRUE(r) << s << ": " << r.error();
    }
}

TEST(avro_parse, references_define_named_types_first) {
    const std::string address = R"({"type":"record","name":"Address","namespace":"com.acme","fields":[
        {"name":"street","type":"string"},{"name":"country","type":"com.acme.Country"}]})";
    const std::string country = R"({"type":"enum","name":"Country","namespace":"com.acme","symbols":["NL","FR"]})";
    const std::string user = R"({"type":"record","name":"User","namespace":"com.acme","fields":[
        {"name":"home","type":"Address"},{"name":"born","type":"com.acme.Country"}]})";
    // Address needs Country although it sorts first: parsing retries.
    auto r = parse(user, {{"com.acme.Address", address}, {"com.acme.Country", country}});
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(name_of(*r), "com.acme.User");
    // Confluent's canonical string names referenced types without inlining them.
    EXPECT_EQ((*r)->canonical_text().find("street"), std::string::npos);
    EXPECT_NE((*r)->canonical_text().find("\"com.acme.Address\""), std::string::npos);

    EXPECT_NE(parse_error(user, {{"com.acme.Address", address}}).find("Invalid reference com.acme.Address"),
              std::string::npos);
    EXPECT_NE(parse_error(user).find("Undefined name: \"Address\""), std::string::npos);
    EXPECT_NE(parse_error(user, {{"com.acme.Address", "{"}, {"com.acme.Country", country}}).find("Invalid schema JSON"),
              std::string::npos);
    // A type both referenced and defined again is a redefinition.
    EXPECT_NE(parse_error(country, {{"com.acme.Country", country}}).find("Can't redefine: com.acme.Country"),
              std::string::npos);
}

} // namespace
} // namespace strata::schema
