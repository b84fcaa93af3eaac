#pragma once
// Standard base64 (RFC 4648, padded): Confluent's clients register Protobuf
// schemas as a base64 serialized FileDescriptorProto, and etcd's JSON gateway
// carries every key and value as base64. Pure functions, callable from any thread.

#include <optional>
#include <string>
#include <string_view>

namespace strata {

std::string base64_encode(std::string_view bytes);
// Nothing if `text` is not padded standard base64; ASCII whitespace is skipped
// (some clients wrap long lines).
std::optional<std::string> base64_decode(std::string_view text);

} // namespace strata
