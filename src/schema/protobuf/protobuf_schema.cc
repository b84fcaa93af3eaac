#include "strata/schema/protobuf/protobuf_schema.h"

#include <google/protobuf/descriptor.pb.h>

#include "strata/base/base64.h"
#include "strata/schema/protobuf/message_indexes.h"

namespace strata::schema::proto {

protobuf_schema::protobuf_schema(std::unique_ptr<google::protobuf::DescriptorPool> pool,
                                 const google::protobuf::FileDescriptor& file)
    : pool_(std::move(pool)), file_(&file), canonical_(file.DebugString()), validator_(file) {}

std::optional<std::string> protobuf_schema::validate(std::span<const uint8_t> payload) const {
    auto selected = select_message(*file_, payload);
    if (!selected) return selected.error();
    return validator_.validate(*selected->message, payload.subspan(selected->body_offset));
}

std::optional<std::string> protobuf_schema::record_name(std::span<const uint8_t> payload) const {
    auto selected = select_message(*file_, payload);
    if (!selected) return std::nullopt;
    return selected->message->full_name();
}

std::string protobuf_schema::serialized_text() const {
    google::protobuf::FileDescriptorProto proto;
    file_->CopyTo(&proto);
    return base64_encode(proto.SerializeAsString());
}

} // namespace strata::schema::proto
