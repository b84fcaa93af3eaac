#pragma once
// Helpers for the Protobuf format's unit tests: parse schemas through the
// format interface, build message bytes with libprotobuf's DynamicMessage or
// by hand (for malformed ones), and frame them with Confluent's message indexes.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/message.h>
#include <gtest/gtest.h>

#include "strata/schema/format.h"
#include "strata/schema/protobuf/protobuf_schema.h"

namespace strata::schema::proto::test {

inline schema_ptr parse_ok(const std::string& text, std::map<std::string, std::string> deps = {}) {
    auto parsed = protobuf_format().parse(schema_source{schema_type::protobuf, text, std::move(deps)});
    EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error());
    return parsed ? *parsed : nullptr;
}

inline std::string parse_error(const std::string& text, std::map<std::string, std::string> deps = {}) {
    auto parsed = protobuf_format().parse(schema_source{schema_type::protobuf, text, std::move(deps)});
    EXPECT_FALSE(parsed.has_value()) << "parsed:\n" << text;
    return parsed ? "" : parsed.error();
}

inline const protobuf_schema& as_proto(const schema_ptr& schema) {
    return dynamic_cast<const protobuf_schema&>(*schema);
}

// Hand-written wire bytes.
class wire {
public:
    wire& varint(uint64_t v) {
        while (v >= 0x80) {
            bytes_ += static_cast<char>((v & 0x7f) | 0x80);
            v >>= 7;
        }
        bytes_ += static_cast<char>(v);
        return *this;
    }
    wire& tag(uint32_t number, int wire_type) { return varint((uint64_t(number) << 3) | uint32_t(wire_type)); }
    wire& raw(const std::string& bytes) {
        bytes_ += bytes;
        return *this;
    }
    wire& len(const std::string& bytes) { return varint(bytes.size()).raw(bytes); }
    const std::string& str() const { return bytes_; }

private:
    std::string bytes_;
};

inline uint32_t zigzag(int32_t v) { return (static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31); }

// The payload after the 5-byte prefix: message indexes as Java's serializer
// writes them (count and indexes zigzag; [0] as the single byte 0), then the body.
inline std::vector<uint8_t> framed(const std::vector<int32_t>& indexes, const std::string& body) {
    wire w;
    if (indexes == std::vector<int32_t>{0}) {
        w.varint(0);
    } else {
        w.varint(zigzag(static_cast<int32_t>(indexes.size())));
        for (int32_t i : indexes) w.varint(zigzag(i));
    }
    w.raw(body);
    return {w.str().begin(), w.str().end()};
}

// Messages of a parsed schema's types, built with reflection.
class messages {
public:
    explicit messages(const schema_ptr& schema) : schema_(schema) {}
    std::unique_ptr<google::protobuf::Message> make(const std::string& full_name) {
        const auto* d = as_proto(schema_).file().pool()->FindMessageTypeByName(full_name);
        EXPECT_NE(d, nullptr) << full_name;
        return std::unique_ptr<google::protobuf::Message>(factory_.GetPrototype(d)->New());
    }

private:
    schema_ptr schema_;
    google::protobuf::DynamicMessageFactory factory_;
};

} // namespace strata::schema::proto::test
