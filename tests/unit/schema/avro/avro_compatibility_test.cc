// Avro schema resolution: for each rule a compatible and an incompatible
// evolution, the reason and path in Confluent's style, and the direction
// BACKWARD (new reads old) and FORWARD (old reads new) give it.
#include <gtest/gtest.h>

#include "strata/schema/format.h"

namespace strata::schema {
namespace {

schema_ptr schema(const std::string& text) {
    auto r = avro_format().parse(schema_source{schema_type::avro, text, {}});
    EXPECT_TRUE(r) << text << ": " << (r ? "" : r.error());
    return r ? *r : nullptr;
}

std::vector<std::string> reading(const std::string& reader, const std::string& writer) {
    return avro_format().read_incompatibilities(*schema(reader), *schema(writer));
}

// The single reason, which must contain every part.
void expect_one(const std::vector<std::string>& reasons, std::initializer_list<std::string> parts) {
    ASSERT_EQ(reasons.size(), 1u) << (reasons.empty() ? "compatible" : reasons[0]);
    for (const auto& p : parts) EXPECT_NE(reasons[0].find(p), std::string::npos) << reasons[0] << "\nlacks: " << p;
}

std::string record(const std::string& name, const std::string& fields) {
    return R"({"type":"record","name":")" + name + R"(","namespace":"com.acme","fields":[)" + fields + "]}";
}

TEST(avro_compatibility, identical_and_primitive_promotions) {
    EXPECT_TRUE(reading(R"("string")", R"("string")").empty());
    const std::vector<std::pair<std::string, std::string>> ok = {
        {"long", "int"},   {"float", "int"},    {"float", "long"}, {"double", "int"},
        {"double", "long"}, {"double", "float"}, {"string", "bytes"}, {"bytes", "string"},
    };
    for (const auto& [reader, writer] : ok)
        EXPECT_TRUE(reading('"' + reader + '"', '"' + writer + '"').empty()) << reader << " reads " << writer;
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"int", "long"}, {"long", "float"}, {"float", "double"}, {"int", "string"}, {"null", "int"}, {"boolean", "int"},
    };
    for (const auto& [reader, writer] : bad) expect_one(reading('"' + reader + '"', '"' + writer + '"'), {"TYPE_MISMATCH"});
    expect_one(reading(R"("int")", R"("long")"),
               {"{errorType:'TYPE_MISMATCH', description:'The type (path '/') of a field in the reader schema",
                "additionalInfo:'reader type: INT not compatible with writer type: LONG'}"});
}

TEST(avro_compatibility, field_types_resolve_recursively_with_paths) {
    const std::string writer = record("User", R"({"name":"id","type":"int"},{"name":"age","type":"int"})");
    EXPECT_TRUE(reading(record("User", R"({"name":"id","type":"int"},{"name":"age","type":"long"})"), writer).empty());
    expect_one(reading(record("User", R"({"name":"id","type":"int"},{"name":"age","type":"string"})"), writer),
               {"TYPE_MISMATCH", "path '/fields/1/type'", "reader type: STRING not compatible with writer type: INT"});
}

TEST(avro_compatibility, reader_fields_missing_from_the_writer_need_defaults) {
    const std::string v1 = record("User", R"({"name":"name","type":"string"})");
    const std::string with_default =
        record("User", R"({"name":"name","type":"string"},{"name":"email","type":["null","string"],"default":null})");
    const std::string without_default = record("User", R"({"name":"name","type":"string"},{"name":"email","type":"string"})");
    EXPECT_TRUE(reading(with_default, v1).empty());
    expect_one(reading(without_default, v1),
               {"READER_FIELD_MISSING_DEFAULT_VALUE", "The field 'email' at path '/fields/1' in the reader schema has "
                                                      "no default value and is missing in the writer schema",
                "additionalInfo:'email'"});
    // Writer fields the reader lacks are skipped.
    EXPECT_TRUE(reading(v1, without_default).empty());
}

TEST(avro_compatibility, backward_and_forward_directions) {
    // BACKWARD: the new schema reads data written with the old one; FORWARD
    // the reverse. Adding a field without a default breaks only BACKWARD,
    // removing one without a default breaks only FORWARD.
    auto fmt = [](const std::string& new_schema, const std::string& old_schema) {
        return std::pair{reading(new_schema, old_schema).empty(), reading(old_schema, new_schema).empty()};
    };
    const std::string v1 = record("U", R"({"name":"a","type":"int"},{"name":"b","type":"int"})");
    const std::string added = record("U", R"({"name":"a","type":"int"},{"name":"b","type":"int"},{"name":"c","type":"int"})");
    const std::string removed = record("U", R"({"name":"a","type":"int"})");
    EXPECT_EQ(fmt(added, v1), std::pair(false, true));
    EXPECT_EQ(fmt(removed, v1), std::pair(true, false));
    // With defaults both ways work (FULL).
    const std::string v1d = record("U", R"({"name":"a","type":"int"},{"name":"b","type":"int","default":0})");
    const std::string removedd = record("U", R"({"name":"a","type":"int"})");
    EXPECT_EQ(fmt(removedd, v1d), std::pair(true, true));
}

TEST(avro_compatibility, field_aliases_rename_fields) {
    const std::string writer = record("U", R"({"name":"fullname","type":"string"})");
    EXPECT_TRUE(reading(record("U", R"({"name":"name","type":"string","aliases":["fullname"]})"), writer).empty());
    expect_one(reading(record("U", R"({"name":"name","type":"string"})"), writer),
               {"READER_FIELD_MISSING_DEFAULT_VALUE", "'name'"});
}

TEST(avro_compatibility, named_types_match_by_unqualified_name_or_alias) {
    const std::string writer = R"({"type":"record","name":"a.User","fields":[]})";
    EXPECT_TRUE(reading(R"({"type":"record","name":"b.User","fields":[]})", writer).empty());
    expect_one(reading(R"({"type":"record","name":"a.Person","fields":[]})", writer),
               {"NAME_MISMATCH", "The name of the schema has changed (path '/name')", "additionalInfo:'expected: a.User'"});
    EXPECT_TRUE(reading(R"({"type":"record","name":"a.Person","aliases":["User"],"fields":[]})", writer).empty());
    expect_one(reading(R"({"type":"enum","name":"E2","symbols":["A"]})", R"({"type":"enum","name":"E","symbols":["A"]})"),
               {"NAME_MISMATCH"});
}

TEST(avro_compatibility, enums_need_the_writer_symbols_or_a_default) {
    const std::string writer = R"({"type":"enum","name":"Suit","symbols":["SPADES","HEARTS","CLUBS","DIAMONDS"]})";
    EXPECT_TRUE(reading(R"({"type":"enum","name":"Suit","symbols":["DIAMONDS","CLUBS","HEARTS","SPADES","JOKER"]})", writer)
                    .empty());
    expect_one(reading(R"({"type":"enum","name":"Suit","symbols":["SPADES","HEARTS"]})", writer),
               {"MISSING_ENUM_SYMBOLS", "The reader schema is missing enum symbols '[CLUBS, DIAMONDS]' at path '/symbols'",
                "additionalInfo:'[CLUBS, DIAMONDS]'"});
    EXPECT_TRUE(reading(R"({"type":"enum","name":"Suit","symbols":["SPADES","HEARTS","OTHER"],"default":"OTHER"})", writer)
                    .empty());
}

TEST(avro_compatibility, fixed_size_and_name) {
    const std::string writer = R"({"type":"fixed","name":"Hash","size":16})";
    EXPECT_TRUE(reading(R"({"type":"fixed","name":"Hash","size":16})", writer).empty());
    expect_one(reading(R"({"type":"fixed","name":"Hash","size":32})", writer),
               {"FIXED_SIZE_MISMATCH", "at path '/size'", "additionalInfo:'expected: 16, found: 32'"});
    expect_one(reading(R"({"type":"fixed","name":"Digest","size":16})", writer), {"NAME_MISMATCH"});
}

TEST(avro_compatibility, arrays_and_maps_resolve_their_items) {
    EXPECT_TRUE(reading(R"({"type":"array","items":"long"})", R"({"type":"array","items":"int"})").empty());
    expect_one(reading(R"({"type":"array","items":"int"})", R"({"type":"array","items":"long"})"),
               {"TYPE_MISMATCH", "path '/items'"});
    EXPECT_TRUE(reading(R"({"type":"map","values":"double"})", R"({"type":"map","values":"float"})").empty());
    expect_one(reading(R"({"type":"map","values":"string"})", R"({"type":"map","values":"boolean"})"),
               {"TYPE_MISMATCH", "path '/values'"});
    expect_one(reading(R"({"type":"map","values":"int"})", R"({"type":"array","items":"int"})"),
               {"TYPE_MISMATCH", "reader type: MAP not compatible with writer type: ARRAY"});
}

TEST(avro_compatibility, unions_need_a_reader_branch_for_every_writer_branch) {
    EXPECT_TRUE(reading(R"(["null","string","int"])", R"(["null","string"])").empty());
    expect_one(reading(R"(["null","string"])", R"(["null","string","int"])"),
               {"MISSING_UNION_BRANCH", "missing a type inside a union field at path '/2'",
                "additionalInfo:'reader union lacking writer type: INT'"});
    // A plain writer needs one matching reader branch (promotions count).
    EXPECT_TRUE(reading(R"(["null","string"])", R"("string")").empty());
    EXPECT_TRUE(reading(R"(["null","long"])", R"("int")").empty());
    expect_one(reading(R"(["null","string"])", R"("int")"),
               {"MISSING_UNION_BRANCH", "reader union lacking writer type: INT"});
    // A writer union against a plain reader: every branch must fit it.
    EXPECT_TRUE(reading(R"("long")", R"(["int","long"])").empty());
    expect_one(reading(R"("string")", R"(["null","string"])"),
               {"TYPE_MISMATCH", "path '/'", "reader type: STRING not compatible with writer type: NULL"});
    // Making a field optional is fine backward; the null branch breaks forward.
    const std::string required = record("U", R"({"name":"x","type":"string"})");
    const std::string optional = record("U", R"({"name":"x","type":["null","string"],"default":null})");
    EXPECT_TRUE(reading(optional, required).empty());
    expect_one(reading(required, optional), {"TYPE_MISMATCH", "path '/fields/0/type'"});
}

TEST(avro_compatibility, recursive_schemas_terminate) {
    const std::string v1 = R"({"type":"record","name":"Node","fields":[
        {"name":"value","type":"int"},{"name":"next","type":["null","Node"]}]})";
    const std::string v2 = R"({"type":"record","name":"Node","fields":[
        {"name":"value","type":"long"},{"name":"next","type":["null","Node"]},{"name":"label","type":"string","default":""}]})";
    EXPECT_TRUE(reading(v2, v1).empty());
    EXPECT_TRUE(reading(v1, v1).empty());
    // v1 reads long values as int: incompatible, and the check still ends.
    auto reasons = reading(v1, v2);
    ASSERT_FALSE(reasons.empty());
    EXPECT_NE(reasons[0].find("TYPE_MISMATCH"), std::string::npos) << reasons[0];
    EXPECT_NE(reasons[0].find("/fields/0/type"), std::string::npos) << reasons[0];
}

// A cycle of `length` records, all named N (in different namespaces, so the
// names match unqualified), each with one field holding the next.
std::string cycle(int length) {
    std::string text;
    for (int i = 0; i < length; ++i)
        text += R"({"type":"record","name":"n)" + std::to_string(i) + R"(.N","fields":[{"name":"f","type":)";
    text += R"("n0.N")";
    for (int i = 0; i < length; ++i) text += "}]}";
    return text;
}

TEST(avro_compatibility, cycles_of_different_lengths_stop_at_a_depth_bound) {
    EXPECT_TRUE(reading(cycle(30), cycle(30)).empty());
    EXPECT_TRUE(reading(cycle(4), cycle(6)).empty());  // pairs repeat after 12 levels
    // 40 and 41 pair up anew for 1640 levels: refused, not a stack overflow.
    auto reasons = reading(cycle(40), cycle(41));
    ASSERT_EQ(reasons.size(), 1u);
    EXPECT_NE(reasons[0].find("too deeply nested to compare"), std::string::npos) << reasons[0];
}

TEST(avro_compatibility, every_reason_is_listed) {
    auto reasons = reading(record("U", R"({"name":"a","type":"string"},{"name":"b","type":"int"})"),
                           record("U", R"({"name":"a","type":"int"})"));
    ASSERT_EQ(reasons.size(), 2u);
    EXPECT_NE(reasons[0].find("TYPE_MISMATCH"), std::string::npos);
    EXPECT_NE(reasons[1].find("READER_FIELD_MISSING_DEFAULT_VALUE"), std::string::npos);
}

class not_avro final : public parsed_schema {
public:
    schema_type type() const override { return schema_type::json; }
    const std::string& canonical_text() const override { return text_; }
    std::optional<std::string> validate(std::span<const uint8_t>) const override { return std::nullopt; }
    std::optional<std::string> record_name(std::span<const uint8_t>) const override { return std::nullopt; }

private:
    std::string text_ = "{}";
};

TEST(avro_compatibility, another_schema_type_is_incompatible) {
    auto avro = schema(R"("string")");
    not_avro other;
    auto reasons = avro_format().read_incompatibilities(*avro, other);
    ASSERT_EQ(reasons.size(), 1u);
    EXPECT_NE(reasons[0].find("different schema type"), std::string::npos);
}

} // namespace
} // namespace strata::schema
