#pragma once
// Checks that a record's message bytes are exactly one message of a given type
// as this schema encodes it: a strict walk over the wire format against the
// descriptors, without building a message. Rejected, with the field path:
// wrong wire types for declared fields, truncated or overlong values, invalid
// UTF-8 in proto3 strings, values missing from closed (proto2) enums, missing
// proto2 required fields, unbalanced groups, nesting deeper than max_depth, and
// field numbers the schema does not declare (a payload written with exactly
// this schema has none; numbers inside a declared extension range are the
// exception: they are only checked to be well-formed). Created with the parsed
// schema that owns it; validate() runs per record on the broker thread.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <google/protobuf/descriptor.h>

namespace strata::schema::proto {

class wire_validator {
public:
    // libprotobuf's own default recursion limit.
    static constexpr int max_depth = 100;

    // Indexes the required fields of every message `file` and its imports declare.
    explicit wire_validator(const google::protobuf::FileDescriptor& file);

    std::optional<std::string> validate(const google::protobuf::Descriptor& message,
                                        std::span<const uint8_t> bytes) const;

    // Nothing for messages without required fields (all of proto3).
    const std::vector<const google::protobuf::FieldDescriptor*>* required_fields(
        const google::protobuf::Descriptor& message) const;

private:
    void index_file(const google::protobuf::FileDescriptor& file,
                    std::unordered_set<const google::protobuf::FileDescriptor*>& seen);
    void index_message(const google::protobuf::Descriptor& message);

    std::unordered_map<const google::protobuf::Descriptor*, std::vector<const google::protobuf::FieldDescriptor*>>
        required_;
};

} // namespace strata::schema::proto
