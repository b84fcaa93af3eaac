#pragma once
// Confluent's Protobuf framing puts, after the schema ID, the path to the
// record's message type: a zigzag varint count, then that many zigzag varint
// indexes (the first into the file's top-level messages, each next one into
// the previous message's nested messages, synthetic map entries included, as
// the descriptors list them). A single 0 byte stands for [0]. Pure functions,
// run per record on the broker thread.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include <google/protobuf/descriptor.h>

#include "strata/base/result.h"

namespace strata::schema::proto {

struct selected_message {
    const google::protobuf::Descriptor* message = nullptr;
    size_t body_offset = 0;  // where the message bytes start in the payload
};

result<selected_message, std::string> select_message(const google::protobuf::FileDescriptor& file,
                                                     std::span<const uint8_t> payload);

} // namespace strata::schema::proto
