// Parsing Protobuf schemas: syntax errors, imports, built-in files, the base64
// descriptor form, and canonical text.
#include <google/protobuf/descriptor.pb.h>
#include <gtest/gtest.h>

#include "proto_test_util.h"
#include "strata/base/base64.h"
#include "strata/schema/protobuf/builtin_protos.h"

namespace strata::schema::proto::test {
namespace {

constexpr const char* order_proto = R"(
syntax = "proto3";
package shop;

// An order as the web shop writes it.
message Order {
  int64 id = 1;
  string customer = 2;   // display name
  repeated Item items = 3;
  message Item { string sku = 1; double price = 2; }
}
)";

TEST(protobuf_parse, accepts_proto3_and_proto2_files) {
    auto schema = parse_ok(order_proto);
    ASSERT_TRUE(schema);
    EXPECT_EQ(schema->type(), schema_type::protobuf);
    EXPECT_EQ(as_proto(schema).file().message_type(0)->full_name(), "shop.Order");
    auto legacy = parse_ok(R"(syntax = "proto2"; message A { required int32 x = 1; optional group G = 2 { optional int32 y = 3; } })");
    ASSERT_TRUE(legacy);
    EXPECT_EQ(as_proto(legacy).file().syntax(), google::protobuf::FileDescriptor::SYNTAX_PROTO2);
}

TEST(protobuf_parse, syntax_errors_name_the_line) {
    auto error = parse_error("syntax = \"proto3\";\nmessage Order {\n  int64 id = ;\n}\n");
    EXPECT_NE(error.find("line 3"), std::string::npos) << error;
}

TEST(protobuf_parse, semantic_errors_name_the_element) {
    auto unknown_type = parse_error("syntax = \"proto3\"; message A { Missing m = 1; }");
    EXPECT_NE(unknown_type.find("Missing"), std::string::npos) << unknown_type;
    auto duplicate = parse_error("syntax = \"proto3\"; message A { int32 x = 1; int32 y = 1; }");
    EXPECT_NE(duplicate.find("A.y"), std::string::npos) << duplicate;
    EXPECT_NE(parse_error("   \n").find("empty"), std::string::npos);
}

TEST(protobuf_parse, errors_never_reach_stderr) {
    ::testing::internal::CaptureStderr();
    (void)protobuf_format().parse({schema_type::protobuf, "syntax = \"proto3\"; message A { int32 x = 1; int32 y = 1; }", {}});
    (void)protobuf_format().parse({schema_type::protobuf, "message A { Nope n = 1; }", {}});
    (void)protobuf_format().parse({schema_type::protobuf, "import \"unused.proto\"; message A {}", {{"unused.proto", "syntax = \"proto3\";"}}});
    EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
}

TEST(protobuf_parse, imports_resolve_to_references_transitively) {
    std::map<std::string, std::string> deps{
        {"common/money.proto", "syntax = \"proto3\"; package common; import \"common/currency.proto\";"
                               " message Money { int64 units = 1; Currency currency = 2; }"},
        {"common/currency.proto", "syntax = \"proto3\"; package common; enum Currency { EUR = 0; USD = 1; }"},
    };
    auto schema = parse_ok(R"(syntax = "proto3"; package shop; import "common/money.proto";
                              message Price { common.Money amount = 1; })", deps);
    ASSERT_TRUE(schema);
    const auto* amount = as_proto(schema).file().message_type(0)->field(0);
    EXPECT_EQ(amount->message_type()->full_name(), "common.Money");
    EXPECT_EQ(amount->message_type()->field(1)->enum_type()->full_name(), "common.Currency");

    deps.erase("common/currency.proto");
    auto error = parse_error(R"(syntax = "proto3"; import "common/money.proto"; message P { common.Money m = 1; })", deps);
    EXPECT_NE(error.find("common/currency.proto"), std::string::npos) << error;
}

TEST(protobuf_parse, import_cycles_are_errors) {
    std::map<std::string, std::string> deps{{"a.proto", "syntax = \"proto3\"; import \"b.proto\";"},
                                            {"b.proto", "syntax = \"proto3\"; import \"a.proto\";"}};
    auto error = parse_error("syntax = \"proto3\"; import \"a.proto\"; message M {}", deps);
    EXPECT_NE(error.find("cycle"), std::string::npos) << error;
}

TEST(protobuf_parse, well_known_types_and_confluent_files_need_no_reference) {
    auto schema = parse_ok(R"(
        syntax = "proto3";
        package shop;
        import "google/protobuf/timestamp.proto";
        import "google/protobuf/wrappers.proto";
        import "google/protobuf/any.proto";
        import "confluent/meta.proto";
        import "confluent/type/decimal.proto";
        message Payment {
          google.protobuf.Timestamp at = 1;
          google.protobuf.StringValue note = 2;
          confluent.type.Decimal amount = 3 [(confluent.field_meta) = { doc: "in EUR", tags: ["PII"] }];
          google.protobuf.Any extra = 4;
        })");
    ASSERT_TRUE(schema);
    const auto* amount = as_proto(schema).file().message_type(0)->FindFieldByName("amount");
    EXPECT_EQ(amount->message_type()->full_name(), "confluent.type.Decimal");
    EXPECT_NE(schema->canonical_text().find("confluent.field_meta"), std::string::npos) << schema->canonical_text();
}

TEST(protobuf_parse, every_built_in_file_builds) {
    for (auto path : builtin_proto_paths()) {
        auto schema = parse_ok("syntax = \"proto3\"; import \"" + std::string(path) + "\"; message M {}");
        ASSERT_TRUE(schema) << path;
        EXPECT_EQ(as_proto(schema).file().dependency(0)->name(), path);
    }
    auto schema = parse_ok(R"(syntax = "proto3"; import "google/type/date.proto"; import "google/type/money.proto";
                              message Invoice { google.type.Date due = 1; google.type.Money total = 2; })");
    ASSERT_TRUE(schema);
    EXPECT_EQ(as_proto(schema).file().message_type(0)->field(1)->message_type()->field(0)->name(), "currency_code");
}

TEST(protobuf_parse, accepts_the_base64_descriptor_confluent_clients_send) {
    auto text_form = parse_ok(order_proto);
    ASSERT_TRUE(text_form);
    std::string base64 = as_proto(text_form).serialized_text();
    auto descriptor_form = parse_ok(base64);
    ASSERT_TRUE(descriptor_form);
    EXPECT_EQ(descriptor_form->canonical_text(), text_form->canonical_text());
    // References may come in that form too.
    auto with_dep = parse_ok("syntax = \"proto3\"; import \"order.proto\"; message Batch { repeated shop.Order orders = 1; }",
                             {{"order.proto", base64}});
    EXPECT_TRUE(with_dep);
}

TEST(protobuf_parse, descriptors_must_be_expressible_as_proto_text) {
    auto schema = parse_ok(order_proto);
    ASSERT_TRUE(schema);
    google::protobuf::FileDescriptorProto proto;
    as_proto(schema).file().CopyTo(&proto);
    EXPECT_TRUE(parse_ok(base64_encode(proto.SerializeAsString())));
    proto.mutable_message_type(0)->mutable_field(0)->set_name("9lives");  // the builder lets it through
    auto error = parse_error(base64_encode(proto.SerializeAsString()));
    EXPECT_NE(error.find(".proto"), std::string::npos) << error;
}

TEST(protobuf_parse, canonical_text_ignores_formatting_but_not_content) {
    auto a = parse_ok(order_proto);
    auto b = parse_ok("syntax='proto3';package shop;message Order{int64 id=1;string customer=2;"
                      "repeated Item items=3;message Item{string sku=1;double price=2;}}");
    auto c = parse_ok("syntax='proto3';package shop;message Order{int64 id=1;string customer=4;"
                      "repeated Item items=3;message Item{string sku=1;double price=2;}}");
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ(a->canonical_text(), b->canonical_text());
    EXPECT_NE(a->canonical_text(), c->canonical_text());
    EXPECT_EQ(a->canonical_text().find("display name"), std::string::npos);  // comments dropped
    // The canonical text is itself a schema with the same canonical text.
    auto again = parse_ok(a->canonical_text());
    ASSERT_TRUE(again);
    EXPECT_EQ(again->canonical_text(), a->canonical_text());
}

} // namespace
} // namespace strata::schema::proto::test
