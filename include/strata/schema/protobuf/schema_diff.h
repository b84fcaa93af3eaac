#pragma once
// Confluent's Protobuf compatibility rules: can data written with `writer` be
// read with `reader`? Constructed per check by the registry, on the broker thread.

#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>

namespace strata::schema::proto {

class schema_diff {
public:
    schema_diff(const google::protobuf::FileDescriptor& writer, const google::protobuf::FileDescriptor& reader)
        : writer_(writer), reader_(reader) {}
    std::vector<std::string> incompatibilities() const;

private:
    const google::protobuf::FileDescriptor& writer_;
    const google::protobuf::FileDescriptor& reader_;
};

} // namespace strata::schema::proto
