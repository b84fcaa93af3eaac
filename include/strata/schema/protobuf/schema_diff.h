#pragma once
// Confluent's Protobuf compatibility rules: can data written with `writer` be
// read with `reader`? The schemas are compared message by message (by name)
// and field by field (by number). Incompatible, as in Confluent's registry:
// PACKAGE_CHANGED, MESSAGE_REMOVED, FIELD_KIND_CHANGED (scalar, message, map),
// FIELD_SCALAR_KIND_CHANGED (outside one wire-compatible group: {int32, int64,
// uint32, uint64, bool, enums}, {sint32, sint64}, {string, bytes}, {fixed32,
// sfixed32}, {fixed64, sfixed64}, {float}, {double}), FIELD_NAMED_TYPE_CHANGED
// (another message type, or the same one changed incompatibly),
// FIELD_NUMERIC_LABEL_CHANGED (a number field between optional, required and
// repeated), REQUIRED_FIELD_ADDED, REQUIRED_FIELD_REMOVED, ONEOF_FIELD_REMOVED,
// MULTIPLE_FIELDS_MOVED_TO_ONEOF and FIELD_MOVED_TO_EXISTING_ONEOF. Everything
// else (fields added, removed or renamed, messages added or moved, enum
// changes, oneofs added or removed) is compatible. Constructed per check by the
// registry, on the broker thread.

#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>

namespace strata::schema::proto {

class schema_diff {
public:
    schema_diff(const google::protobuf::FileDescriptor& writer, const google::protobuf::FileDescriptor& reader)
        : writer_(writer), reader_(reader) {}
    // One line per incompatible difference: its Confluent name, the path
    // (`#/Message/field number`) and what changed. Empty means compatible.
    std::vector<std::string> incompatibilities() const;

private:
    const google::protobuf::FileDescriptor& writer_;
    const google::protobuf::FileDescriptor& reader_;
};

} // namespace strata::schema::proto
