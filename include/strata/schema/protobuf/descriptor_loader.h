#pragma once
// Turns a registered Protobuf schema (a .proto file's text, or the base64
// serialized FileDescriptorProto that Confluent's clients send) and its
// references into descriptors in a pool of its own. Imports resolve, in order,
// to the schema's references (keyed by import path), Confluent's built-in
// files and Google's well-known types. Every problem becomes an error value;
// libprotobuf never logs or aborts on the way. Used once per parse, on the
// broker thread.

#include <memory>
#include <set>
#include <string>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

#include "strata/base/result.h"
#include "strata/schema/format.h"

namespace strata::schema::proto {

struct loaded_file {
    std::unique_ptr<google::protobuf::DescriptorPool> pool;
    const google::protobuf::FileDescriptor* file = nullptr;
};

class descriptor_loader {
public:
    // The name the schema's own file gets in its pool (Confluent's clients use
    // the same one).
    static constexpr std::string_view main_file_name = "default";

    explicit descriptor_loader(const schema_source& source);
    result<loaded_file, std::string> load();

private:
    result<const google::protobuf::FileDescriptor*, std::string> build(
        const std::string& name, google::protobuf::FileDescriptorProto proto);
    result<const google::protobuf::FileDescriptor*, std::string> import(const std::string& path);

    const schema_source& source_;
    std::unique_ptr<google::protobuf::DescriptorPool> pool_;
    std::set<std::string> in_progress_;  // import cycle detection
};

// Parses one file's text (.proto syntax, else base64 FileDescriptorProto).
result<google::protobuf::FileDescriptorProto, std::string> parse_proto_file(const std::string& text);

} // namespace strata::schema::proto
