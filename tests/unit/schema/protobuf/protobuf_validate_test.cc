// Validating record payloads (Confluent framing after the schema ID) against a
// parsed Protobuf schema: message indexes, record names, and the strict wire walk.
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/unknown_field_set.h>
#include <gtest/gtest.h>

#include "proto_test_util.h"

namespace strata::schema::proto::test {
namespace {

namespace pb = google::protobuf;

constexpr const char* shop_proto = R"(
syntax = "proto3";
package shop;
import "google/protobuf/timestamp.proto";
message Order {
  int64 id = 1;
  string customer = 2;
  repeated Item items = 3;
  map<string, int32> tags = 4;
  google.protobuf.Timestamp placed = 5;
  Status status = 6;
  repeated int32 codes = 7;
  oneof payment { string card = 8; bytes token = 9; }
  message Item { string sku = 1; double price = 2; fixed32 qty = 3; }
  enum Status { UNKNOWN = 0; PLACED = 1; }
}
message Refund { int64 order_id = 1; }
message Node { Node child = 1; int32 value = 2; }
)";

constexpr const char* legacy_proto = R"(
syntax = "proto2";
package legacy;
message Event {
  required string name = 1;
  optional Kind kind = 2;
  repeated Kind history = 3 [packed = true];
  optional group Detail = 4 { optional int32 level = 5; }
  optional Inner inner = 6;
  optional string raw = 7;
  extensions 100 to 199;
  enum Kind { A = 1; B = 2; }
  message Inner { required int32 x = 1; }
}
extend Event { optional string note = 100; }
)";

class protobuf_validate : public ::testing::Test {
protected:
    schema_ptr shop = parse_ok(shop_proto);
    schema_ptr legacy = parse_ok(legacy_proto);
    messages shop_messages{shop};
    messages legacy_messages{legacy};

    std::string full_order() {
        auto order = shop_messages.make("shop.Order");
        const auto* d = order->GetDescriptor();
        const auto* r = order->GetReflection();
        r->SetInt64(order.get(), d->FindFieldByName("id"), 42);
        r->SetString(order.get(), d->FindFieldByName("customer"), "Zoë");
        for (const char* sku : {"a-1", "b-2"}) {
            auto* item = r->AddMessage(order.get(), d->FindFieldByName("items"));
            item->GetReflection()->SetString(item, item->GetDescriptor()->FindFieldByName("sku"), sku);
            item->GetReflection()->SetDouble(item, item->GetDescriptor()->FindFieldByName("price"), 9.5);
            item->GetReflection()->SetUInt32(item, item->GetDescriptor()->FindFieldByName("qty"), 3);
        }
        auto* tag = r->AddMessage(order.get(), d->FindFieldByName("tags"));
        tag->GetReflection()->SetString(tag, tag->GetDescriptor()->FindFieldByName("key"), "gift");
        tag->GetReflection()->SetInt32(tag, tag->GetDescriptor()->FindFieldByName("value"), 1);
        auto* placed = r->MutableMessage(order.get(), d->FindFieldByName("placed"));
        placed->GetReflection()->SetInt64(placed, placed->GetDescriptor()->FindFieldByName("seconds"), 1700000000);
        r->SetEnumValue(order.get(), d->FindFieldByName("status"), 1);
        for (int c : {1, -2, 300}) r->AddInt32(order.get(), d->FindFieldByName("codes"), c);
        r->SetString(order.get(), d->FindFieldByName("token"), std::string("\xff\x00", 2));
        return order->SerializeAsString();
    }

    std::string event(bool with_name = true) {
        auto e = legacy_messages.make("legacy.Event");
        const auto* d = e->GetDescriptor();
        const auto* r = e->GetReflection();
        if (with_name) r->SetString(e.get(), d->FindFieldByName("name"), "boot");
        r->SetEnumValue(e.get(), d->FindFieldByName("kind"), 2);
        r->AddEnumValue(e.get(), d->FindFieldByName("history"), 1);
        r->AddEnumValue(e.get(), d->FindFieldByName("history"), 2);
        auto* detail = r->MutableMessage(e.get(), d->FindFieldByName("detail"));
        detail->GetReflection()->SetInt32(detail, detail->GetDescriptor()->FindFieldByName("level"), 3);
        r->SetString(e.get(), d->file()->pool()->FindExtensionByName("legacy.note"), "x");
        // By hand: libprotobuf complains when serializing it, yet proto2 strings are not checked.
        std::string raw = wire().tag(7, 2).len("\xc3\x28").str();
        return e->SerializePartialAsString() + raw;
    }

    std::optional<std::string> check(const schema_ptr& s, const std::vector<int32_t>& indexes, const std::string& body) {
        return s->validate(framed(indexes, body));
    }
};

TEST_F(protobuf_validate, serialized_messages_are_valid) {
    EXPECT_EQ(check(shop, {0}, full_order()), std::nullopt);
    EXPECT_EQ(check(shop, {0}, ""), std::nullopt);  // proto3: every field may be absent
    EXPECT_EQ(check(legacy, {0}, event()), std::nullopt);
    // [0] written long-hand (count 1, index 0) means the same message.
    wire longhand;
    longhand.varint(2).varint(0).raw(full_order());
    EXPECT_EQ(shop->validate({reinterpret_cast<const uint8_t*>(longhand.str().data()), longhand.str().size()}),
              std::nullopt);
}

TEST_F(protobuf_validate, message_indexes_select_the_record_type) {
    EXPECT_EQ(shop->record_name(framed({0}, "")), "shop.Order");
    EXPECT_EQ(shop->record_name(framed({1}, "")), "shop.Refund");
    // Nested messages count the synthetic map entry, as descriptors list them:
    // Order.TagsEntry is [0, 0] and Order.Item [0, 1].
    EXPECT_EQ(shop->record_name(framed({0, 0}, "")), "shop.Order.TagsEntry");
    EXPECT_EQ(shop->record_name(framed({0, 1}, "")), "shop.Order.Item");
    EXPECT_EQ(shop->record_name(framed({3}, "")), std::nullopt);

    wire item;
    item.tag(1, 2).len("a-1").tag(3, 5).raw(std::string(4, '\x01'));
    EXPECT_EQ(check(shop, {0, 1}, item.str()), std::nullopt);
    EXPECT_NE(check(shop, {0}, item.str()), std::nullopt);  // as an Order, field 3 would be Items

    auto out_of_range = check(shop, {3}, "");
    ASSERT_TRUE(out_of_range);
    EXPECT_NE(out_of_range->find("3 top-level"), std::string::npos) << *out_of_range;
    auto nested_out_of_range = check(shop, {0, 2}, "");
    ASSERT_TRUE(nested_out_of_range);
    EXPECT_NE(nested_out_of_range->find("shop.Order has 2 nested"), std::string::npos) << *nested_out_of_range;
    EXPECT_TRUE(check(shop, {-1}, ""));                               // negative index
    EXPECT_TRUE(shop->validate(std::vector<uint8_t>{}));              // no indexes at all
    EXPECT_TRUE(shop->validate(std::vector<uint8_t>{0x01}));          // count -1
    EXPECT_TRUE(shop->validate(std::vector<uint8_t>{0x04, 0x00}));    // count 2, one index
}

TEST_F(protobuf_validate, wrong_wire_type_names_the_field) {
    wire w;
    w.tag(1, 2).len("x");  // id is an int64
    auto error = check(shop, {0}, w.str());
    ASSERT_TRUE(error);
    EXPECT_NE(error->find("field 'id'"), std::string::npos) << *error;
    EXPECT_NE(error->find("length-delimited"), std::string::npos) << *error;
    wire fixed;
    fixed.tag(2, 5).raw("abcd");  // customer is a string
    EXPECT_TRUE(check(shop, {0}, fixed.str()));
    wire reserved_type;
    reserved_type.tag(1, 6);
    EXPECT_TRUE(check(shop, {0}, reserved_type.str()));
}

TEST_F(protobuf_validate, truncated_payloads_are_invalid) {
    // One field holding a whole item: any cut leaves a dangling tag or a short length.
    std::string item = wire().tag(1, 2).len("a-1").tag(2, 1).raw("12345678").tag(3, 5).raw("abcd").str();
    std::string body = wire().tag(3, 2).len(item).str();
    ASSERT_FALSE(check(shop, {0}, body));
    for (size_t cut = 1; cut < body.size(); ++cut) EXPECT_TRUE(check(shop, {0}, body.substr(0, cut))) << cut;
    EXPECT_TRUE(check(shop, {0, 1}, item.substr(0, item.size() - 1)));  // a 32-bit value one byte short
    wire w;
    w.tag(3, 2).varint(10).raw("abc");  // items[0] claims 10 bytes, 3 remain
    auto error = check(shop, {0}, w.str());
    ASSERT_TRUE(error);
    EXPECT_NE(error->find("runs past"), std::string::npos) << *error;
    wire varint;
    varint.tag(1, 0).raw("\xff\xff");
    EXPECT_TRUE(check(shop, {0}, varint.str()));
    wire too_long;
    too_long.tag(1, 0).raw(std::string(10, '\xff') + "\x01");
    EXPECT_TRUE(check(shop, {0}, too_long.str()));
}

TEST_F(protobuf_validate, invalid_utf8_in_proto3_strings_names_the_element) {
    wire bad_item;
    bad_item.tag(1, 2).len("\xc3\x28");
    std::string body = full_order();  // two items already
    body += wire().tag(3, 2).len(bad_item.str()).str();
    auto error = check(shop, {0}, body);
    ASSERT_TRUE(error);
    EXPECT_NE(error->find("field 'items[2].sku'"), std::string::npos) << *error;
    EXPECT_NE(error->find("UTF-8"), std::string::npos) << *error;
    for (std::string bad : {"\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80", "\xe2\x82"}) {
        EXPECT_TRUE(check(shop, {0}, wire().tag(2, 2).len(bad).str())) << "accepted a bad sequence";
    }
    EXPECT_FALSE(check(shop, {0}, wire().tag(2, 2).len("\xf0\x9f\x98\x80 \xe2\x82\xac").str()));
    // The map's string key lives in a proto3 entry message too.
    auto map_error = check(shop, {0}, wire().tag(4, 2).len(wire().tag(1, 2).len("\xff").str()).str());
    ASSERT_TRUE(map_error);
    EXPECT_NE(map_error->find("tags[0].key"), std::string::npos) << *map_error;
}

TEST_F(protobuf_validate, closed_enums_reject_unknown_values_open_ones_keep_them) {
    EXPECT_FALSE(check(shop, {0}, wire().tag(6, 0).varint(77).str()));  // proto3 enum: open
    auto error = check(legacy, {0}, event() + wire().tag(2, 0).varint(7).str());
    ASSERT_TRUE(error);
    EXPECT_NE(error->find("field 'kind'"), std::string::npos) << *error;
    EXPECT_NE(error->find("legacy.Event.Kind"), std::string::npos) << *error;
    // history already holds [1, 2]; the next run is [1, 9]: element 3 overall.
    auto packed = check(legacy, {0}, event() + wire().tag(3, 2).len(wire().varint(1).varint(9).str()).str());
    ASSERT_TRUE(packed);
    EXPECT_NE(packed->find("field 'history[3]'"), std::string::npos) << *packed;
}

TEST_F(protobuf_validate, missing_required_fields_are_reported_with_their_path) {
    auto error = check(legacy, {0}, event(false));
    ASSERT_TRUE(error);
    EXPECT_NE(error->find("field 'name'"), std::string::npos) << *error;
    auto nested = check(legacy, {0}, event() + wire().tag(6, 2).len("").str());
    ASSERT_TRUE(nested);
    EXPECT_NE(nested->find("field 'inner.x'"), std::string::npos) << *nested;
    EXPECT_FALSE(check(legacy, {0}, event() + wire().tag(6, 2).len(wire().tag(1, 0).varint(5).str()).str()));
}

TEST_F(protobuf_validate, groups_must_balance) {
    EXPECT_FALSE(check(legacy, {0}, event() + wire().tag(4, 3).tag(5, 0).varint(1).tag(4, 4).str()));
    auto mismatched = check(legacy, {0}, event() + wire().tag(4, 3).tag(5, 0).varint(1).tag(5, 4).str());
    ASSERT_TRUE(mismatched);
    EXPECT_NE(mismatched->find("end-group"), std::string::npos) << *mismatched;
    EXPECT_TRUE(check(legacy, {0}, event() + wire().tag(4, 3).tag(5, 0).varint(1).str()));  // never closed
    EXPECT_TRUE(check(legacy, {0}, event() + wire().tag(9, 4).str()));                      // stray end
    EXPECT_TRUE(check(legacy, {0}, event() + wire().tag(4, 2).len("").str()));              // group as bytes
}

TEST_F(protobuf_validate, undeclared_field_numbers_are_invalid_except_in_extension_ranges) {
    auto error = check(shop, {0}, full_order() + wire().tag(20, 0).varint(1).str());
    ASSERT_TRUE(error);
    EXPECT_NE(error->find("field number 20"), std::string::npos) << *error;
    EXPECT_NE(error->find("shop.Order"), std::string::npos) << *error;
    // Inside Event's extension range: well-formed values of unknown extensions pass,
    // a declared extension is checked by its type.
    EXPECT_FALSE(check(legacy, {0}, event() + wire().tag(150, 0).varint(1).str()));
    EXPECT_TRUE(check(legacy, {0}, event() + wire().tag(150, 2).varint(5).str()));
    EXPECT_TRUE(check(legacy, {0}, event() + wire().tag(100, 0).varint(1).str()));
    EXPECT_TRUE(check(legacy, {0}, wire().tag(0, 0).varint(1).str()));  // field number 0
}

TEST_F(protobuf_validate, repeated_scalars_may_be_packed_or_not) {
    EXPECT_FALSE(check(shop, {0}, wire().tag(7, 0).varint(1).tag(7, 2).len(wire().varint(2).varint(3).str()).str()));
    EXPECT_TRUE(check(shop, {0}, wire().tag(7, 2).len("\x80").str()));  // truncated packed varint
    wire qty;  // Item.qty is fixed32: not repeated, so no packed form
    qty.tag(3, 2).len("abcd");
    EXPECT_TRUE(check(shop, {0, 1}, qty.str()));
}

TEST_F(protobuf_validate, nesting_depth_is_bounded) {
    auto nest = [](int depth) {
        std::string body = wire().tag(2, 0).varint(1).str();
        for (int i = 0; i < depth; ++i) body = wire().tag(1, 2).len(body).str();
        return body;
    };
    EXPECT_FALSE(check(shop, {2}, nest(90)));
    auto error = check(shop, {2}, nest(150));
    ASSERT_TRUE(error);
    EXPECT_NE(error->find("deeper"), std::string::npos) << *error;
}

// Nothing libprotobuf would keep as unknown (wrong wire types, closed-enum
// misses, undeclared numbers), anywhere in the tree, but undeclared extensions.
bool no_unknown_fields(const pb::Message& m) {
    const auto* r = m.GetReflection();
    const auto& unknown = r->GetUnknownFields(m);
    for (int i = 0; i < unknown.field_count(); ++i) {
        if (!m.GetDescriptor()->IsExtensionNumber(unknown.field(i).number())) return false;
    }
    std::vector<const pb::FieldDescriptor*> set;
    r->ListFields(m, &set);
    for (const auto* f : set) {
        if (f->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) continue;
        if (f->is_repeated()) {
            for (int i = 0; i < r->FieldSize(m, f); ++i) {
                if (!no_unknown_fields(r->GetRepeatedMessage(m, f, i))) return false;
            }
        } else if (!no_unknown_fields(r->GetMessage(m, f))) {
            return false;
        }
    }
    return true;
}

TEST_F(protobuf_validate, agrees_with_libprotobuf_on_mutated_payloads) {
    // Valid exactly when libprotobuf parses it with nothing left unknown. Every byte
    // of two valid messages, overwritten in a few telling ways, and every truncation.
    size_t accepted = 0, rejected = 0;
    for (auto [schema, factory, name, body] :
         {std::tuple{shop, &shop_messages, "shop.Order", full_order()},
          std::tuple{legacy, &legacy_messages, "legacy.Event", event()}}) {
        std::vector<std::string> variants;
        for (size_t i = 0; i < body.size(); ++i) {
            auto b = static_cast<uint8_t>(body[i]);
            for (uint8_t v : {uint8_t{0x00}, uint8_t{0x01}, uint8_t{0x7f}, uint8_t{0x80}, uint8_t{0xff},
                              uint8_t(b ^ 0x01), uint8_t(b ^ 0x80), uint8_t(b ^ 0x07)}) {
                std::string mutated = body;
                mutated[i] = static_cast<char>(v);
                variants.push_back(std::move(mutated));
            }
            variants.push_back(body.substr(0, i));
        }
        for (const auto& variant : variants) {
            bool valid = !check(schema, {0}, variant).has_value();
            (valid ? accepted : rejected) += 1;
            auto parsed = factory->make(name);
            ::testing::internal::CaptureStderr();  // libprotobuf logs what it refuses
            bool exact = parsed->ParseFromString(variant) && no_unknown_fields(*parsed);
            ::testing::internal::GetCapturedStderr();
            EXPECT_EQ(valid, exact) << name << (valid ? " accepted" : " rejected") << " but libprotobuf disagrees:\n"
                                    << parsed->DebugString();
        }
    }
    EXPECT_GT(accepted, 0u);
    EXPECT_GT(rejected, 0u);
}

} // namespace
} // namespace strata::schema::proto::test
