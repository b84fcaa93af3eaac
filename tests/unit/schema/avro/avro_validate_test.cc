// Avro binary payloads against their writer schema: every type's valid and
// broken encodings, block forms of arrays and maps, exact consumption, the
// field path in errors, and hostile nesting.
#include <gtest/gtest.h>

#include "avro_test_encoder.h"
#include "strata/schema/format.h"

namespace strata::schema {
namespace {

using avro_test::encoder;

schema_ptr schema(const std::string& text) {
    auto r = avro_format().parse(schema_source{schema_type::avro, text, {}});
    EXPECT_TRUE(r) << text << ": " << (r ? "" : r.error());
    return r ? *r : nullptr;
}

void expect_valid(const schema_ptr& s, const encoder& e) {
    auto err = s->validate(e.span());
    EXPECT_FALSE(err.has_value()) << *err;
}

// The error, which must contain `part`.
void expect_invalid(const schema_ptr& s, const encoder& e, const std::string& part) {
    auto err = s->validate(e.span());
    ASSERT_TRUE(err.has_value()) << "accepted, expected: " << part;
    EXPECT_NE(err->find(part), std::string::npos) << *err;
}

TEST(avro_validate, int_and_long_zigzag_varints) {
    auto i = schema(R"("int")");
    for (int32_t v : {0, 1, -1, 63, -64, 64, INT32_MAX, INT32_MIN}) expect_valid(i, encoder().int_value(v));
    expect_invalid(i, encoder(), "expected int, payload ended");
    expect_invalid(i, encoder().raw({0x80}), "expected int, payload ended");
    expect_invalid(i, encoder().raw({0xff, 0xff, 0xff, 0xff, 0x1f}), "more than 32 bits");  // 33 bits
    expect_invalid(i, encoder().raw({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}), "more than 32 bits");
    expect_invalid(i, encoder().long_value(int64_t(INT32_MAX) + 1), "more than 32 bits");
    expect_invalid(i, encoder().int_value(5).int_value(5), "1 bytes left after the int value");

    auto l = schema(R"("long")");
    for (int64_t v : {int64_t(0), int64_t(-1), INT64_MAX, INT64_MIN, int64_t(1) << 40})
        expect_valid(l, encoder().long_value(v));
    expect_invalid(l, encoder().raw({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}), "more than 64 bits");
    expect_invalid(l, encoder().raw({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x81, 0x00}),
                   "more than 64 bits");
    expect_invalid(l, encoder().raw({0xff, 0xff}), "expected long, payload ended");
}

TEST(avro_validate, boolean_float_double_null) {
    auto b = schema(R"("boolean")");
    expect_valid(b, encoder().boolean(true));
    expect_valid(b, encoder().boolean(false));
    expect_invalid(b, encoder().raw({2}), "boolean byte is 2, not 0 or 1");
    expect_invalid(b, encoder(), "expected boolean, payload ended");

    auto f = schema(R"("float")");
    expect_valid(f, encoder().float_value(1.5f));
    expect_invalid(f, encoder().raw({0, 0, 0}), "expected float of 4 bytes, 3 left");
    auto d = schema(R"("double")");
    expect_valid(d, encoder().double_value(-2.25));
    expect_invalid(d, encoder().raw({0, 0, 0, 0, 0, 0, 0}), "expected double of 8 bytes, 7 left");

    auto n = schema(R"("null")");
    expect_valid(n, encoder());
    expect_invalid(n, encoder().raw({0}), "1 bytes left after the null value");
}

TEST(avro_validate, strings_and_bytes) {
    auto s = schema(R"("string")");
    expect_valid(s, encoder().string(""));
    expect_valid(s, encoder().string("Zo\xc3\xab \xf0\x9f\x98\x80 and a longer ASCII run to cross 8 bytes"));
    expect_invalid(s, encoder().long_value(-1), "string length -1 is negative");
    expect_invalid(s, encoder().long_value(5).raw({'a', 'b'}), "string length 5 exceeds the 2 bytes left");
    expect_invalid(s, encoder().string("a\xc3("), "not valid UTF-8");
    expect_invalid(s, encoder().string("\xc0\x80"), "not valid UTF-8");          // overlong NUL
    expect_invalid(s, encoder().string("\xed\xa0\x80"), "not valid UTF-8");      // surrogate
    expect_invalid(s, encoder().string("\xf4\x90\x80\x80"), "not valid UTF-8");  // above U+10FFFF
    expect_invalid(s, encoder().string("abcdefgh\xe2\x82"), "not valid UTF-8");  // cut short

    auto b = schema(R"("bytes")");
    expect_valid(b, encoder().string("\xff\xfe\x00"));
    expect_invalid(b, encoder().long_value(3).raw({1}), "bytes length 3 exceeds the 1 bytes left");
}

TEST(avro_validate, enum_union_fixed) {
    auto e = schema(R"({"type":"enum","name":"a.Suit","symbols":["HEARTS","SPADES","CLUBS"]})");
    expect_valid(e, encoder().int_value(2));
    expect_invalid(e, encoder().int_value(3), "enum index 3 out of range for a.Suit (3 symbols)");
    expect_invalid(e, encoder().int_value(-1), "enum index -1 out of range");

    auto u = schema(R"(["null","string"])");
    expect_valid(u, encoder().long_value(0));
    expect_valid(u, encoder().long_value(1).string("x"));
    expect_invalid(u, encoder().long_value(2), "union branch 2 out of range (2 branches)");
    expect_invalid(u, encoder().long_value(-1), "union branch -1 out of range");
    expect_invalid(u, encoder().long_value(1), "expected string length, payload ended");

    auto f = schema(R"({"type":"fixed","name":"Md5","size":16})");
    encoder sixteen;
    for (int i = 0; i < 16; ++i) sixteen.raw({uint8_t(i)});
    expect_valid(f, sixteen);
    expect_invalid(f, encoder().raw({1, 2, 3}), "expected fixed Md5 of 16 bytes, 3 left");
}

TEST(avro_validate, array_blocks) {
    auto a = schema(R"({"type":"array","items":"long"})");
    expect_valid(a, encoder().long_value(0));
    expect_valid(a, encoder().long_value(2).long_value(7).long_value(8).long_value(0));
    // Two blocks, the second with a negative count and its byte size.
    expect_valid(a, encoder().long_value(1).long_value(7).long_value(-2).long_value(2).long_value(1).long_value(2)
                        .long_value(0));
    expect_invalid(a, encoder().long_value(-2).long_value(3).long_value(1).long_value(2).long_value(0),
                   "array block byte size 3 but its items take 2");
    expect_invalid(a, encoder().long_value(-1).long_value(9).long_value(1).long_value(0),
                   "array block byte size 9 is outside the 2 bytes left");
    expect_invalid(a, encoder().long_value(-1).long_value(-1), "array block byte size -1");
    expect_invalid(a, encoder().long_value(1).long_value(7), "expected array block count, payload ended");
    expect_invalid(a, encoder().long_value(int64_t(1) << 40).long_value(1), "array block of 1099511627776 items");
    expect_invalid(a, encoder().long_value(INT64_MIN), "array block count out of range");
    expect_invalid(a, encoder().long_value(3).long_value(1).long_value(2).raw({0x80}),
                   "element [2]: expected long, payload ended");
}

TEST(avro_validate, zero_size_items_in_any_number) {
    // A billion nulls take no bytes: valid, and checked without looping.
    auto nulls = schema(R"({"type":"array","items":"null"})");
    expect_valid(nulls, encoder().long_value(1'000'000'000).long_value(0));
    expect_valid(nulls, encoder().long_value(-5).long_value(0).long_value(0));
    expect_invalid(nulls, encoder().long_value(-5).long_value(1).raw({0}).long_value(0),
                   "array block byte size 1 but its items take 0");
    auto empties = schema(R"({"type":"array","items":{"type":"record","name":"E","fields":[
        {"name":"n","type":"null"},{"name":"f","type":{"type":"fixed","name":"Z","size":0}}]}})");
    expect_valid(empties, encoder().long_value(1'000'000'000).long_value(0));
}

TEST(avro_validate, map_blocks_and_keys) {
    auto m = schema(R"({"type":"map","values":"int"})");
    expect_valid(m, encoder().long_value(0));
    expect_valid(m, encoder().long_value(2).string("a").int_value(1).string("b").int_value(-1).long_value(0));
    expect_valid(m, encoder().long_value(-1).long_value(4).string("k").int_value(300).long_value(0));
    expect_invalid(m, encoder().long_value(-1).long_value(3).string("k").int_value(300).long_value(0),
                   "map block byte size 3 but its items take 4");
    expect_invalid(m, encoder().long_value(1).string("key").raw({0xff}), "element [\"key\"]: expected int, payload ended");
    expect_invalid(m, encoder().long_value(1).string("\xff").int_value(1).long_value(0), "map key is not valid UTF-8");
    expect_invalid(m, encoder().long_value(1).long_value(-4), "map key: string length -4 is negative");
}

const char* user_schema = R"({"type":"record","name":"User","namespace":"com.example","fields":[
    {"name":"name","type":"string"},
    {"name":"age","type":"long"},
    {"name":"email","type":["null","string"]},
    {"name":"tags","type":{"type":"array","items":"string"}},
    {"name":"props","type":{"type":"map","values":"int"}},
    {"name":"kind","type":{"type":"enum","name":"Kind","symbols":["A","B","C"]}},
    {"name":"id","type":{"type":"fixed","name":"Id","size":4}},
    {"name":"score","type":"double"},
    {"name":"ratio","type":"float"},
    {"name":"active","type":"boolean"},
    {"name":"raw","type":"bytes"}]})";

// Written by fastavro's schemaless_writer for user_schema with
// {"name":"Zoë","age":-1234567890123,"email":"z@x.io","tags":["a","bc"],
//  "props":{"k":-5},"kind":"C","id":b"\1\2\3\4","score":2.5,"ratio":-0.5,
//  "active":True,"raw":b"\xff\x00"}.
const char* fastavro_user =
    "085a6fc3ab9593d89fee47020c7a40782e696f0402610462630002026b090004010203040000000000000440000000bf0104ff00";

TEST(avro_validate, payload_from_another_implementation_and_every_truncation) {
    auto s = schema(user_schema);
    auto bytes = avro_test::from_hex(fastavro_user);
    auto err = s->validate(bytes);
    EXPECT_FALSE(err) << *err;
    for (size_t n = 0; n < bytes.size(); ++n)
        EXPECT_TRUE(s->validate(std::span<const uint8_t>(bytes.data(), n))) << "prefix of " << n << " bytes";
    bytes.push_back(0);
    EXPECT_TRUE(s->validate(bytes));
}

TEST(avro_validate, errors_name_the_field_path) {
    auto s = schema(R"({"type":"record","name":"Event","fields":[
        {"name":"user","type":{"type":"record","name":"U","fields":[
            {"name":"name","type":"string"},{"name":"age","type":"long"}]}},
        {"name":"items","type":{"type":"array","items":{"type":"record","name":"Item","fields":[
            {"name":"sku","type":"string"},{"name":"qty","type":["null","int"]}]}}}]})");
    expect_invalid(s, encoder().string("ab"), "field user.age: expected long, payload ended");
    encoder ok_user = encoder().string("ab").long_value(30);
    expect_invalid(s, encoder().append(ok_user).long_value(2).string("x").long_value(0).string("y").long_value(5),
                   "field items[1].qty: union branch 5 out of range");
    expect_valid(s, encoder().append(ok_user).long_value(2).string("x").long_value(0).string("y").long_value(1)
                        .int_value(3).long_value(0));
}

TEST(avro_validate, recursive_schema_and_hostile_depth) {
    auto list = schema(R"({"type":"record","name":"Node","fields":[
        {"name":"value","type":"int"},{"name":"next","type":["null","Node"]}]})");
    encoder three;
    for (int i = 0; i < 3; ++i) three.int_value(i).long_value(1);
    three.int_value(3).long_value(0);
    expect_valid(list, three);

    // A list of 900 nodes nests 900 records: within the limit.
    encoder long_list;
    for (int i = 0; i < 900; ++i) long_list.int_value(i).long_value(1);
    long_list.int_value(0).long_value(0);
    expect_valid(list, long_list);

    // Far deeper than any real list: refused with an error, not a crash.
    encoder deep;
    for (int i = 0; i < 100'000; ++i) deep.int_value(i).long_value(1);
    deep.int_value(0).long_value(0);
    expect_invalid(list, deep, "nest deeper than");

    // A tree through arrays: each level is an array block of one record.
    auto tree = schema(R"({"type":"record","name":"T","fields":[{"name":"kids","type":{"type":"array","items":"T"}}]})");
    encoder hostile_tree;
    for (int i = 0; i < 100'000; ++i) hostile_tree.long_value(1);
    expect_invalid(tree, hostile_tree, "nest deeper than");
    expect_valid(tree, encoder().long_value(2).long_value(0).long_value(1).long_value(0).long_value(0).long_value(0));

    auto nested = schema(R"({"type":"array","items":{"type":"array","items":{"type":"array","items":"int"}}})");
    expect_valid(nested, encoder().long_value(1).long_value(1).long_value(1).int_value(4).long_value(0).long_value(0)
                             .long_value(0));
}

} // namespace
} // namespace strata::schema
