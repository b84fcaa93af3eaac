#include "strata/schema/protobuf/wire_validator.h"

#include <algorithm>

namespace strata::schema::proto {
namespace pb = google::protobuf;
namespace {

enum wire_type : int { varint = 0, fixed64 = 1, length = 2, start_group = 3, end_group = 4, fixed32 = 5 };

constexpr std::string_view wire_type_names[] = {"varint", "64-bit", "length-delimited", "start-group",
                                                 "end-group", "32-bit", "invalid (6)", "invalid (7)"};

int natural_wire_type(pb::FieldDescriptor::Type type) {
    switch (type) {
    case pb::FieldDescriptor::TYPE_DOUBLE:
    case pb::FieldDescriptor::TYPE_FIXED64:
    case pb::FieldDescriptor::TYPE_SFIXED64: return fixed64;
    case pb::FieldDescriptor::TYPE_FLOAT:
    case pb::FieldDescriptor::TYPE_FIXED32:
    case pb::FieldDescriptor::TYPE_SFIXED32: return fixed32;
    case pb::FieldDescriptor::TYPE_STRING:
    case pb::FieldDescriptor::TYPE_BYTES:
    case pb::FieldDescriptor::TYPE_MESSAGE: return length;
    case pb::FieldDescriptor::TYPE_GROUP: return start_group;
    default: return varint;  // the integer types, bool and enums
    }
}

// A varint of at most max_bytes (5 for tags, 10 otherwise); nullptr when it is
// truncated or longer. Like libprotobuf, excess high bits of a 10th byte are dropped.
const uint8_t* read_varint(const uint8_t* p, const uint8_t* end, uint64_t& out, int max_bytes = 10) {
    uint64_t value = 0;
    for (int i = 0; i < max_bytes && p < end; ++i) {
        uint8_t b = *p++;
        value |= static_cast<uint64_t>(b & 0x7f) << (7 * i);
        if ((b & 0x80) == 0) {
            out = value;
            return p;
        }
    }
    return nullptr;
}

// Well-formed UTF-8 as libprotobuf checks it: no overlong forms, no surrogates,
// nothing above U+10FFFF.
bool valid_utf8(const uint8_t* p, const uint8_t* end) {
    while (p < end) {
        uint8_t b = *p++;
        if (b < 0x80) continue;
        int extra;
        uint32_t cp;
        if (b >= 0xc2 && b <= 0xdf) { extra = 1; cp = b & 0x1f; }
        else if (b >= 0xe0 && b <= 0xef) { extra = 2; cp = b & 0x0f; }
        else if (b >= 0xf0 && b <= 0xf4) { extra = 3; cp = b & 0x07; }
        else return false;
        if (end - p < extra) return false;
        for (int i = 0; i < extra; ++i) {
            if ((p[i] & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (p[i] & 0x3f);
        }
        p += extra;
        if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10ffff))) return false;
        if (cp >= 0xd800 && cp <= 0xdfff) return false;
    }
    return true;
}

// Steps over one value of any wire type; nullptr if it is malformed.
const uint8_t* skip_value(int type, uint32_t number, const uint8_t* p, const uint8_t* end, int depth) {
    uint64_t v;
    switch (type) {
    case varint: return read_varint(p, end, v);
    case fixed64: return end - p >= 8 ? p + 8 : nullptr;
    case fixed32: return end - p >= 4 ? p + 4 : nullptr;
    case length:
        p = read_varint(p, end, v);
        return p != nullptr && v <= static_cast<uint64_t>(end - p) ? p + v : nullptr;
    case start_group:
        if (depth >= wire_validator::max_depth) return nullptr;
        while (p != nullptr && p < end) {
            p = read_varint(p, end, v, 5);
            if (p == nullptr) return nullptr;
            if ((v & 7) == end_group) return (v >> 3) == number ? p : nullptr;
            p = skip_value(static_cast<int>(v & 7), static_cast<uint32_t>(v >> 3), p, end, depth + 1);
        }
        return nullptr;
    default: return nullptr;
    }
}

bool closed_enum(const pb::FieldDescriptor& f) {
    return f.type() == pb::FieldDescriptor::TYPE_ENUM &&
           f.enum_type()->file()->syntax() == pb::FileDescriptor::SYNTAX_PROTO2;
}

struct walk_error {
    std::string path;
    std::string what;
    size_t packed_element = 0;  // the failing element of a packed run
};

// One validate() call: a recursive descent that records the first problem.
class wire_walk {
public:
    explicit wire_walk(const wire_validator& validator) : validator_(validator) {}

    // Walks `d`'s fields from p; a length-delimited message ends at `end`, a
    // group (group_number != 0) at its end-group tag. Returns where it stopped.
    const uint8_t* message(const pb::Descriptor& d, const uint8_t* p, const uint8_t* end, int depth,
                           uint32_t group_number);

    walk_error error;

private:
    const uint8_t* field(const pb::FieldDescriptor& f, int type, const uint8_t* p, const uint8_t* end, int depth);
    const uint8_t* packed(const pb::FieldDescriptor& f, const uint8_t* p, const uint8_t* end);
    bool check_enum(const pb::FieldDescriptor& f, uint64_t value);
    bool check_required(const pb::Descriptor& d, const std::vector<const pb::FieldDescriptor*>* required,
                        const std::vector<bool>& seen);
    void locate(const pb::FieldDescriptor& f, const uint8_t* message_start, const uint8_t* tag_at);
    std::nullptr_t fail(std::string what) {
        error.what = std::move(what);
        return nullptr;
    }

    const wire_validator& validator_;
};

const uint8_t* wire_walk::message(const pb::Descriptor& d, const uint8_t* p, const uint8_t* end, int depth,
                                  uint32_t group_number) {
    if (depth > wire_validator::max_depth) return fail("messages nest deeper than the limit of 100");
    const auto* required = validator_.required_fields(d);
    std::vector<bool> seen(required != nullptr ? required->size() : 0);
    const uint8_t* start = p;
    while (p < end) {
        const uint8_t* tag_at = p;
        uint64_t tag;
        p = read_varint(p, end, tag, 5);
        if (p == nullptr || tag > 0xffffffffu) return fail("malformed or truncated field tag");
        auto number = static_cast<uint32_t>(tag >> 3);
        int type = static_cast<int>(tag & 7);
        if (number == 0) return fail("field number 0 is invalid");
        if (type == end_group) {
            if (number != group_number) {
                return fail("end-group tag for field " + std::to_string(number) + " without a matching start");
            }
            return check_required(d, required, seen) ? p : nullptr;
        }
        const pb::FieldDescriptor* f = d.FindFieldByNumber(static_cast<int>(number));
        if (f == nullptr && d.extension_range_count() > 0) {
            f = d.file()->pool()->FindExtensionByNumber(&d, static_cast<int>(number));
        }
        if (f == nullptr) {
            if (!d.IsExtensionNumber(static_cast<int>(number))) {
                return fail("field number " + std::to_string(number) + " is not declared in " + d.full_name());
            }
            p = skip_value(type, number, p, end, depth);
            if (p == nullptr) return fail("malformed value for extension field " + std::to_string(number));
            continue;
        }
        p = field(*f, type, p, end, depth);
        if (p == nullptr) {
            locate(*f, start, tag_at);
            return nullptr;
        }
        if (required != nullptr && f->is_required()) {
            seen[std::find(required->begin(), required->end(), f) - required->begin()] = true;
        }
    }
    if (group_number != 0) return fail("group ended without its end-group tag");
    return check_required(d, required, seen) ? p : nullptr;
}

const uint8_t* wire_walk::field(const pb::FieldDescriptor& f, int type, const uint8_t* p, const uint8_t* end,
                                int depth) {
    int expected = natural_wire_type(f.type());
    if (type == length && expected != length && f.is_packable()) return packed(f, p, end);
    if (type != expected) {
        return fail("wire type " + std::string(wire_type_names[type]) + " does not match the field's type " +
                    f.type_name());
    }
    uint64_t v;
    switch (type) {
    case varint:
        p = read_varint(p, end, v);
        if (p == nullptr) return fail("truncated or overlong varint");
        return check_enum(f, v) ? p : nullptr;
    case fixed64:
        if (end - p < 8) return fail("truncated 64-bit value");
        return p + 8;
    case fixed32:
        if (end - p < 4) return fail("truncated 32-bit value");
        return p + 4;
    case start_group: return message(*f.message_type(), p, end, depth + 1, static_cast<uint32_t>(f.number()));
    default: break;
    }
    p = read_varint(p, end, v);
    if (p == nullptr) return fail("truncated length");
    if (v > static_cast<uint64_t>(end - p)) {
        return fail("length " + std::to_string(v) + " runs past the end of the enclosing message");
    }
    const uint8_t* value_end = p + v;
    if (f.type() == pb::FieldDescriptor::TYPE_MESSAGE) {
        return message(*f.message_type(), p, value_end, depth + 1, 0) != nullptr ? value_end : nullptr;
    }
    if (f.type() == pb::FieldDescriptor::TYPE_STRING && f.file()->syntax() == pb::FileDescriptor::SYNTAX_PROTO3 &&
        !valid_utf8(p, value_end)) {
        return fail("invalid UTF-8 in a proto3 string");
    }
    return value_end;
}

const uint8_t* wire_walk::packed(const pb::FieldDescriptor& f, const uint8_t* p, const uint8_t* end) {
    uint64_t len;
    p = read_varint(p, end, len);
    if (p == nullptr) return fail("truncated length");
    if (len > static_cast<uint64_t>(end - p)) {
        return fail("packed length " + std::to_string(len) + " runs past the end of the enclosing message");
    }
    const uint8_t* run_end = p + len;
    switch (natural_wire_type(f.type())) {
    case fixed64:
        if (len % 8 != 0) return fail("packed 64-bit run of " + std::to_string(len) + " bytes");
        return run_end;
    case fixed32:
        if (len % 4 != 0) return fail("packed 32-bit run of " + std::to_string(len) + " bytes");
        return run_end;
    default: break;
    }
    for (size_t element = 0; p < run_end; ++element) {
        uint64_t v;
        p = read_varint(p, run_end, v);
        error.packed_element = element;
        if (p == nullptr) return fail("truncated or overlong varint in a packed run");
        if (!check_enum(f, v)) return nullptr;
    }
    error.packed_element = 0;
    return run_end;
}

bool wire_walk::check_enum(const pb::FieldDescriptor& f, uint64_t value) {
    if (!closed_enum(f)) return true;  // open (proto3) enums keep unknown values
    auto number = static_cast<int32_t>(value);
    if (f.enum_type()->FindValueByNumber(number) != nullptr) return true;
    fail(std::to_string(number) + " is not a value of the closed enum " + f.enum_type()->full_name());
    return false;
}

bool wire_walk::check_required(const pb::Descriptor& d, const std::vector<const pb::FieldDescriptor*>* required,
                               const std::vector<bool>& seen) {
    if (required == nullptr) return true;
    for (size_t i = 0; i < seen.size(); ++i) {
        if (!seen[i]) {
            error.path = (*required)[i]->name();
            fail("required field of " + d.full_name() + " is missing");
            return false;
        }
    }
    return true;
}

// Prefixes the error's path with f's name (and its element index if repeated).
// Only runs on failure: counting earlier elements re-reads the already checked bytes.
void wire_walk::locate(const pb::FieldDescriptor& f, const uint8_t* message_start, const uint8_t* tag_at) {
    std::string segment = f.is_extension() ? "(" + f.full_name() + ")" : f.name();
    if (f.is_repeated()) {
        size_t index = error.packed_element;
        int natural = natural_wire_type(f.type());
        const uint8_t* p = message_start;
        while (p != nullptr && p < tag_at) {
            uint64_t tag, len;
            p = read_varint(p, tag_at, tag, 5);
            if (p == nullptr) break;
            int type = static_cast<int>(tag & 7);
            bool ours = (tag >> 3) == static_cast<uint64_t>(f.number());
            if (ours && type == length && natural != length) {  // a packed run: count its elements
                const uint8_t* run = read_varint(p, tag_at, len);
                if (run == nullptr || len > static_cast<uint64_t>(tag_at - run)) break;
                if (natural == fixed64 || natural == fixed32) {
                    index += len / (natural == fixed64 ? 8 : 4);
                } else {
                    index += static_cast<size_t>(std::count_if(run, run + len, [](uint8_t b) { return b < 0x80; }));
                }
            } else if (ours) {
                ++index;
            }
            p = skip_value(type, static_cast<uint32_t>(tag >> 3), p, tag_at, 0);
        }
        segment += "[" + std::to_string(index) + "]";
    }
    error.packed_element = 0;
    error.path = error.path.empty() ? segment : segment + "." + error.path;
}

} // namespace

wire_validator::wire_validator(const pb::FileDescriptor& file) {
    std::unordered_set<const pb::FileDescriptor*> seen;
    index_file(file, seen);
}

void wire_validator::index_file(const pb::FileDescriptor& file, std::unordered_set<const pb::FileDescriptor*>& seen) {
    if (!seen.insert(&file).second) return;
    for (int i = 0; i < file.message_type_count(); ++i) index_message(*file.message_type(i));
    for (int i = 0; i < file.dependency_count(); ++i) index_file(*file.dependency(i), seen);
}

void wire_validator::index_message(const pb::Descriptor& message) {
    std::vector<const pb::FieldDescriptor*> required;
    for (int i = 0; i < message.field_count(); ++i) {
        if (message.field(i)->is_required()) required.push_back(message.field(i));
    }
    if (!required.empty()) required_.emplace(&message, std::move(required));
    for (int i = 0; i < message.nested_type_count(); ++i) index_message(*message.nested_type(i));
}

const std::vector<const pb::FieldDescriptor*>* wire_validator::required_fields(const pb::Descriptor& message) const {
    if (required_.empty()) return nullptr;
    auto it = required_.find(&message);
    return it == required_.end() ? nullptr : &it->second;
}

std::optional<std::string> wire_validator::validate(const pb::Descriptor& message,
                                                    std::span<const uint8_t> bytes) const {
    wire_walk walk(*this);
    const uint8_t* begin = bytes.data();
    if (walk.message(message, begin, begin + bytes.size(), 0, 0) != nullptr) return std::nullopt;
    std::string where = walk.error.path.empty() ? "" : " field '" + walk.error.path + "'";
    return message.full_name() + where + ": " + walk.error.what;
}

} // namespace strata::schema::proto
