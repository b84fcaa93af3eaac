// Confluent's Protobuf compatibility rules: each difference type with a case
// that trips it and a neighbouring change that does not.
#include <algorithm>

#include <gtest/gtest.h>

#include "proto_test_util.h"

namespace strata::schema::proto::test {
namespace {

// Why data written with `writer` cannot be read with `reader`.
std::vector<std::string> issues(const std::string& writer, const std::string& reader,
                                std::map<std::string, std::string> deps = {}) {
    auto w = parse_ok(writer, deps);
    auto r = parse_ok(reader, deps);
    if (!w || !r) return {"unparsable"};
    return protobuf_format().read_incompatibilities(*r, *w);
}

bool has(const std::vector<std::string>& found, const std::string& type, const std::string& path = "") {
    return std::any_of(found.begin(), found.end(), [&](const std::string& line) {
        return line.rfind(type + " at ", 0) == 0 && line.find(path) != std::string::npos;
    });
}

std::string p3(const std::string& body) { return "syntax = \"proto3\"; package shop; " + body; }
std::string p2(const std::string& body) { return "syntax = \"proto2\"; package shop; " + body; }

TEST(protobuf_compatibility, identical_and_cosmetic_changes_are_compatible) {
    std::string order = p3("message Order { int64 id = 1; string note = 2; enum S { A = 0; } S s = 3; }");
    EXPECT_EQ(issues(order, order), std::vector<std::string>{});
    // Renamed field, added field, enum value added, message added and moved first.
    EXPECT_EQ(issues(order, p3("message Refund {} message Order { int64 order_id = 1; string note = 2;"
                               " enum S { A = 0; B = 1; } S s = 3; bytes extra = 4; }")),
              std::vector<std::string>{});
}

TEST(protobuf_compatibility, message_removed) {
    std::string two = p3("message Order { int64 id = 1; } message Refund { int64 id = 1; }");
    auto found = issues(two, p3("message Order { int64 id = 1; }"));
    EXPECT_TRUE(has(found, "MESSAGE_REMOVED", "#/Refund")) << ::testing::PrintToString(found);
    EXPECT_TRUE(issues(p3("message Order { int64 id = 1; }"), two).empty());  // added: compatible
    // Nested messages too.
    found = issues(p3("message Order { message Item {} }"), p3("message Order {}"));
    EXPECT_TRUE(has(found, "MESSAGE_REMOVED", "#/Order/Item")) << ::testing::PrintToString(found);
}

TEST(protobuf_compatibility, package_changed) {
    auto in = [](const std::string& package) {
        return "syntax = \"proto3\"; package " + package + "; message Order { int64 id = 1; }";
    };
    EXPECT_TRUE(has(issues(in("a"), in("b")), "PACKAGE_CHANGED"));
    EXPECT_TRUE(issues(in("a"), in("a")).empty());
}

TEST(protobuf_compatibility, scalar_kinds_change_only_within_wire_compatible_groups) {
    auto change = [](const std::string& from, const std::string& to) {
        return issues(p3("enum E { Z = 0; } message M { " + from + " f = 1; }"),
                      p3("enum E { Z = 0; } message M { " + to + " f = 1; }"));
    };
    for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"int32", "int64"}, {"uint64", "bool"}, {"int32", "E"}, {"sint32", "sint64"},
             {"string", "bytes"}, {"fixed32", "sfixed32"}, {"fixed64", "sfixed64"}}) {
        EXPECT_TRUE(change(from, to).empty()) << from << " -> " << to;
    }
    for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"int32", "sint32"}, {"int64", "string"}, {"float", "double"}, {"fixed32", "fixed64"},
             {"bytes", "int32"}, {"E", "sint32"}}) {
        auto found = change(from, to);
        EXPECT_TRUE(has(found, "FIELD_SCALAR_KIND_CHANGED", "#/M/1")) << from << " -> " << to << ::testing::PrintToString(found);
    }
}

TEST(protobuf_compatibility, field_kind_changed) {
    auto found = issues(p3("message M { int32 f = 1; } message N {}"), p3("message M { N f = 1; } message N {}"));
    EXPECT_TRUE(has(found, "FIELD_KIND_CHANGED", "#/M/1")) << ::testing::PrintToString(found);
    found = issues(p3("message M { map<string, int32> f = 1; }"), p3("message M { repeated string f = 1; }"));
    EXPECT_TRUE(has(found, "FIELD_KIND_CHANGED")) << ::testing::PrintToString(found);
}

TEST(protobuf_compatibility, map_keys_and_values_follow_the_scalar_rules) {
    EXPECT_TRUE(issues(p3("message M { map<string, int32> f = 1; }"), p3("message M { map<string, int64> f = 1; }")).empty());
    auto found = issues(p3("message M { map<string, int32> f = 1; }"), p3("message M { map<string, string> f = 1; }"));
    EXPECT_TRUE(has(found, "FIELD_SCALAR_KIND_CHANGED", "#/M/1")) << ::testing::PrintToString(found);
}

TEST(protobuf_compatibility, field_named_type_changed) {
    std::string types = "message A { int32 x = 1; } message B { int32 x = 1; } ";
    auto found = issues(p3(types + "message M { A f = 1; }"), p3(types + "message M { B f = 1; }"));
    EXPECT_TRUE(has(found, "FIELD_NAMED_TYPE_CHANGED", "#/M/1")) << ::testing::PrintToString(found);
    // The same type, changed compatibly: fine; incompatibly: both the change and the field.
    EXPECT_TRUE(issues(p3("message A { int32 x = 1; } message M { A f = 1; }"),
                       p3("message A { int64 x = 1; string y = 2; } message M { A f = 1; }")).empty());
    found = issues(p3("message A { int32 x = 1; } message M { A f = 1; }"),
                   p3("message A { string x = 1; } message M { A f = 1; }"));
    EXPECT_TRUE(has(found, "FIELD_SCALAR_KIND_CHANGED", "#/A/1")) << ::testing::PrintToString(found);
    EXPECT_TRUE(has(found, "FIELD_NAMED_TYPE_CHANGED", "#/M/1")) << ::testing::PrintToString(found);
    EXPECT_EQ(std::count_if(found.begin(), found.end(), [](const auto& l) { return l.find("#/A/1") != std::string::npos; }), 1)
        << "reported once though reached twice";
}

TEST(protobuf_compatibility, types_may_move_between_files_of_one_package) {
    // Compared by the name inside the package, not by the file that declares it.
    std::map<std::string, std::string> deps{{"v1/money.proto", p3("message Money { int64 units = 1; }")},
                                            {"v2/money.proto", p3("message Money { int64 units = 1; string c = 2; }")},
                                            {"v3/money.proto", p3("message Money { string units = 1; }")}};
    auto using_money = [](const std::string& file) {
        return p3("import \"" + file + "\"; message M { Money m = 1; }");
    };
    EXPECT_TRUE(issues(using_money("v1/money.proto"), using_money("v2/money.proto"), deps).empty());
    auto found = issues(using_money("v1/money.proto"), using_money("v3/money.proto"), deps);
    EXPECT_TRUE(has(found, "FIELD_NAMED_TYPE_CHANGED", "#/M/1")) << ::testing::PrintToString(found);
    EXPECT_TRUE(has(found, "FIELD_SCALAR_KIND_CHANGED", "#/Money/1")) << ::testing::PrintToString(found);
}

TEST(protobuf_compatibility, recursive_types_terminate) {
    std::string tree = p3("message Node { repeated Node children = 1; Node parent = 2; int32 v = 3; }");
    EXPECT_TRUE(issues(tree, tree).empty());
    auto found = issues(tree, p3("message Node { repeated Node children = 1; Node parent = 2; string v = 3; }"));
    EXPECT_TRUE(has(found, "FIELD_SCALAR_KIND_CHANGED", "#/Node/3")) << ::testing::PrintToString(found);
}

TEST(protobuf_compatibility, numeric_label_changes_but_string_label_changes_pass) {
    auto found = issues(p2("message M { optional int32 f = 1; }"), p2("message M { repeated int32 f = 1; }"));
    EXPECT_TRUE(has(found, "FIELD_NUMERIC_LABEL_CHANGED", "#/M/1")) << ::testing::PrintToString(found);
    EXPECT_TRUE(issues(p2("message M { optional string f = 1; }"), p2("message M { repeated string f = 1; }")).empty());
    // proto3 optional -> implicit presence: no label on one side, as in Confluent.
    EXPECT_TRUE(issues(p3("message M { optional int32 f = 1; }"), p3("message M { int32 f = 1; }")).empty());
}

TEST(protobuf_compatibility, required_fields_added_or_removed) {
    std::string base = p2("message M { optional int32 a = 1; }");
    auto added = issues(base, p2("message M { optional int32 a = 1; required int32 b = 2; }"));
    EXPECT_TRUE(has(added, "REQUIRED_FIELD_ADDED", "#/M/2")) << ::testing::PrintToString(added);
    EXPECT_TRUE(issues(base, p2("message M { optional int32 a = 1; optional int32 b = 2; }")).empty());
    auto removed = issues(p2("message M { optional int32 a = 1; required int32 b = 2; }"), base);
    EXPECT_TRUE(has(removed, "REQUIRED_FIELD_REMOVED", "#/M/2")) << ::testing::PrintToString(removed);
    EXPECT_TRUE(issues(p2("message M { optional int32 a = 1; optional int32 b = 2; }"), base).empty());
}

TEST(protobuf_compatibility, the_direction_matters) {
    // BACKWARD asks whether the new schema reads the old data; FORWARD the reverse.
    auto old_schema = parse_ok(p2("message M { optional int32 a = 1; }"));
    auto new_schema = parse_ok(p2("message M { optional int32 a = 1; required int32 b = 2; }"));
    ASSERT_TRUE(old_schema && new_schema);
    EXPECT_TRUE(has(protobuf_format().read_incompatibilities(*new_schema, *old_schema), "REQUIRED_FIELD_ADDED"));
    EXPECT_TRUE(has(protobuf_format().read_incompatibilities(*old_schema, *new_schema), "REQUIRED_FIELD_REMOVED"));
}

TEST(protobuf_compatibility, oneof_fields_removed) {
    std::string two = p3("message M { oneof o { int32 a = 1; string b = 2; } }");
    auto found = issues(two, p3("message M { oneof o { int32 a = 1; } }"));
    EXPECT_TRUE(has(found, "ONEOF_FIELD_REMOVED", "#/M/o/2")) << ::testing::PrintToString(found);
    EXPECT_TRUE(issues(p3("message M { oneof o { int32 a = 1; } }"), two).empty());  // added
    EXPECT_TRUE(issues(two, p3("message M { oneof o { int32 a = 1; } string b = 2; }")).empty());  // moved out
    EXPECT_TRUE(issues(two, p3("message M { }")).empty()) << "a whole oneof removed is compatible";
}

TEST(protobuf_compatibility, fields_moved_into_oneofs) {
    std::string plain = p3("message M { int32 a = 1; string b = 2; }");
    auto found = issues(plain, p3("message M { oneof o { int32 a = 1; string b = 2; } }"));
    EXPECT_TRUE(has(found, "MULTIPLE_FIELDS_MOVED_TO_ONEOF", "#/M/o")) << ::testing::PrintToString(found);
    EXPECT_TRUE(issues(plain, p3("message M { oneof o { int32 a = 1; } string b = 2; }")).empty());
    found = issues(p3("message M { int32 a = 1; oneof o { string b = 2; } }"),
                   p3("message M { oneof o { int32 a = 1; string b = 2; } }"));
    EXPECT_TRUE(has(found, "FIELD_MOVED_TO_EXISTING_ONEOF", "#/M/o")) << ::testing::PrintToString(found);
    // A moved field's type still counts.
    found = issues(plain, p3("message M { oneof o { string a = 1; } string b = 2; }"));
    EXPECT_TRUE(has(found, "FIELD_SCALAR_KIND_CHANGED", "#/M/1")) << ::testing::PrintToString(found);
}

} // namespace
} // namespace strata::schema::proto::test
