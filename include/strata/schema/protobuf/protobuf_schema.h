#pragma once
// A registered Protobuf schema, parsed: it owns the descriptor pool its file
// (and every file that file imports) lives in, and answers per-record
// questions (validate, record_name) from it. Immutable once built, shared by
// the registry and the produce path; all calls run on the broker thread.

#include <memory>
#include <string>

#include <google/protobuf/descriptor.h>

#include "strata/schema/format.h"
#include "strata/schema/protobuf/wire_validator.h"

namespace strata::schema::proto {

class protobuf_schema final : public parsed_schema {
public:
    protobuf_schema(std::unique_ptr<google::protobuf::DescriptorPool> pool,
                    const google::protobuf::FileDescriptor& file);

    schema_type type() const override { return schema_type::protobuf; }
    // The file re-printed from its descriptors (libprotobuf's .proto rendering):
    // comments, whitespace and quoting differences vanish, and a schema sent as
    // a base64 descriptor reads the same as its .proto text.
    const std::string& canonical_text() const override { return canonical_; }
    std::optional<std::string> validate(std::span<const uint8_t> payload) const override;
    // The full name of the message the payload's message indexes select.
    std::optional<std::string> record_name(std::span<const uint8_t> payload) const override;

    const google::protobuf::FileDescriptor& file() const { return *file_; }
    // The base64 serialized FileDescriptorProto Confluent's clients ask for
    // with `format=serialized`.
    std::string serialized_text() const;

private:
    std::unique_ptr<google::protobuf::DescriptorPool> pool_;
    const google::protobuf::FileDescriptor* file_;
    std::string canonical_;
    wire_validator validator_;
};

} // namespace strata::schema::proto
