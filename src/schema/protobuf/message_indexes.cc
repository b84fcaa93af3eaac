#include "strata/schema/protobuf/message_indexes.h"

#include <optional>

namespace strata::schema::proto {
namespace {

// Deeper paths cannot resolve: descriptors nest no deeper than this in practice,
// and the bound keeps a hostile count from costing anything.
constexpr int32_t max_indexes = 100;

// Java's serializer writes these as zigzag int32 varints: at most 5 bytes.
std::optional<int32_t> read_zigzag32(std::span<const uint8_t> bytes, size_t& pos) {
    uint32_t value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
        if (pos >= bytes.size()) return std::nullopt;
        uint8_t b = bytes[pos++];
        value |= static_cast<uint32_t>(b & 0x7f) << shift;
        if ((b & 0x80) == 0) return static_cast<int32_t>((value >> 1) ^ (0u - (value & 1)));
    }
    return std::nullopt;
}

std::string path_text(const std::string& so_far, int32_t next) {
    return "message indexes [" + so_far + (so_far.empty() ? "" : ", ") + std::to_string(next) + "]";
}

} // namespace

result<selected_message, std::string> select_message(const google::protobuf::FileDescriptor& file,
                                                     std::span<const uint8_t> payload) {
    size_t pos = 0;
    auto count = read_zigzag32(payload, pos);
    if (!count) return fail(std::string("truncated message indexes"));
    if (*count < 0 || *count > max_indexes) {
        return fail("message index count " + std::to_string(*count) + " is out of range");
    }
    if (*count == 0) {
        if (file.message_type_count() == 0) return fail(std::string("the schema declares no message"));
        return selected_message{file.message_type(0), pos};
    }
    const google::protobuf::Descriptor* message = nullptr;
    std::string so_far;
    for (int32_t i = 0; i < *count; ++i) {
        auto index = read_zigzag32(payload, pos);
        if (!index) return fail(std::string("truncated message indexes"));
        int available = message == nullptr ? file.message_type_count() : message->nested_type_count();
        if (*index < 0 || *index >= available) {
            std::string where = message == nullptr ? "the schema has " + std::to_string(available) + " top-level"
                                                   : message->full_name() + " has " + std::to_string(available) + " nested";
            return fail(path_text(so_far, *index) + ": " + where + " message(s)");
        }
        message = message == nullptr ? file.message_type(*index) : message->nested_type(*index);
        so_far += (so_far.empty() ? "" : ", ") + std::to_string(*index);
    }
    return selected_message{message, pos};
}

} // namespace strata::schema::proto
