#include "avro_decoder.h"

#include "avro_utf8.h"

namespace strata::schema::avro {

namespace {

enum class varint_status { ok, ended, too_long };

// Little-endian base-128. At most `max_bytes`; the last byte may only carry
// the bits that still fit (`last_mask`), so an overlong value is an error
// rather than silently truncated.
varint_status read_varint(const uint8_t*& p, const uint8_t* end, int max_bytes, uint8_t last_mask,
                          uint64_t& out) {
    uint64_t v = 0;
    for (int i = 0; i < max_bytes; ++i) {
        if (p == end) return varint_status::ended;
        uint8_t b = *p++;
        if (i == max_bytes - 1 && (b & ~last_mask)) return varint_status::too_long;
        v |= uint64_t(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            out = v;
            return varint_status::ok;
        }
    }
    return varint_status::too_long;
}

// Map keys are strings; this stands for their type in messages.
const avro_node map_key = [] {
    avro_node k;
    k.kind = avro_kind::string;
    return k;
}();

std::string describe(const avro_node& n) {
    std::string s(kind_name(n.kind));
    if (n.is_named()) s += " " + n.full_name;
    return s;
}

} // namespace

std::optional<std::string> avro_decoder::validate(const avro_node& root) {
    if (value(root, 0)) {
        if (p_ == end_) return std::nullopt;
        return std::to_string(left()) + " bytes left after the " + describe(root) + " value";
    }
    if (path_.empty()) return std::move(message_);
    std::string where;
    for (auto it = path_.rbegin(); it != path_.rend(); ++it) {
        if (!where.empty() && (*it)[0] != '[') where += '.';
        where += *it;
    }
    return (path_.back()[0] == '[' ? "element " : "field ") + where + ": " + message_;
}

bool avro_decoder::fail(std::string message) {
    message_ = std::move(message);
    return false;
}

bool avro_decoder::fail_ended(const avro_node& n, const char* what) {
    return fail("expected " + (what ? std::string(what) : describe(n)) + ", payload ended");
}

bool avro_decoder::fail_varint(const char* what, int bits) {
    return fail(std::string(what) + " is not a valid varint (more than " + std::to_string(bits) + " bits)");
}

bool avro_decoder::fail_length(const char* what, int64_t length) {
    if (length < 0) return fail(std::string(what) + " " + std::to_string(length) + " is negative");
    return fail(std::string(what) + " " + std::to_string(length) + " exceeds the " + std::to_string(left()) +
                " bytes left");
}

bool avro_decoder::fail_take(const avro_node& n, size_t count) {
    return fail("expected " + describe(n) + " of " + std::to_string(count) + " bytes, " + std::to_string(left()) +
                " left");
}

bool avro_decoder::fail_boolean(uint8_t b) {
    return fail("boolean byte is " + std::to_string(b) + ", not 0 or 1");
}

bool avro_decoder::fail_index(const avro_node& n, int64_t index) {
    if (n.kind == avro_kind::enumeration)
        return fail("enum index " + std::to_string(index) + " out of range for " + n.full_name + " (" +
                    std::to_string(n.symbols.size()) + " symbols)");
    return fail("union branch " + std::to_string(index) + " out of range (" + std::to_string(n.branches.size()) +
                " branches)");
}

bool avro_decoder::fail_depth() {
    return fail("values nest deeper than " + std::to_string(max_depth) + " levels");
}

bool avro_decoder::fail_block(const char* kind, const char* problem, int64_t number, int64_t other) {
    std::string k(kind);
    std::string p(problem);
    if (p == "count") return fail(k + " block count out of range");
    if (p == "items")
        return fail(k + " block of " + std::to_string(number) + " items exceeds the " + std::to_string(other) +
                    " bytes left");
    if (p == "size")
        return fail(k + " block byte size " + std::to_string(number) + " is outside the " + std::to_string(other) +
                    " bytes left");
    return fail(k + " block byte size " + std::to_string(number) + " but its items take " + std::to_string(other));
}

bool avro_decoder::in_field(const avro_field& f) {
    path_.push_back(f.name);
    return false;
}

bool avro_decoder::in_map_key(int64_t index) {
    message_ = "map key: " + message_;
    return in_element(index, nullptr, 0);
}

bool avro_decoder::fail_text(const char* message) { return fail(message); }

bool avro_decoder::in_element(int64_t index, const uint8_t* key, size_t key_len) {
    if (key)
        path_.push_back("[\"" + std::string(reinterpret_cast<const char*>(key), key_len) + "\"]");
    else
        path_.push_back("[" + std::to_string(index) + "]");
    return false;
}

bool avro_decoder::read_long(const avro_node& n, int64_t& out, const char* what) {
    uint64_t raw = 0;
    switch (read_varint(p_, end_, 10, 0x01, raw)) {
    case varint_status::ended: return fail_ended(n, what);
    case varint_status::too_long: return fail_varint(what ? what : "long", 64);
    case varint_status::ok: break;
    }
    out = int64_t(raw >> 1) ^ -int64_t(raw & 1);
    return true;
}

bool avro_decoder::read_int(const avro_node& n, int32_t& out, const char* what) {
    uint64_t raw = 0;
    switch (read_varint(p_, end_, 5, 0x0f, raw)) {
    case varint_status::ended: return fail_ended(n, what);
    case varint_status::too_long: return fail_varint(what ? what : "int", 32);
    case varint_status::ok: break;
    }
    uint32_t r = uint32_t(raw);
    out = int32_t(r >> 1) ^ -int32_t(r & 1);
    return true;
}

bool avro_decoder::read_length(const avro_node& n, size_t& out) {
    int64_t len = 0;
    const char* what = n.kind == avro_kind::bytes ? "bytes length" : "string length";
    if (!read_long(n, len, what)) return false;
    if (len < 0 || uint64_t(len) > left()) return fail_length(what, len);
    out = size_t(len);
    return true;
}

bool avro_decoder::take(const avro_node& n, size_t count) {
    if (count > left()) return fail_take(n, count);
    p_ += count;
    return true;
}

bool avro_decoder::value(const avro_node& n, int depth) {
    switch (n.kind) {
    case avro_kind::null_type: return true;
    case avro_kind::boolean:
        if (p_ == end_) return fail_ended(n, nullptr);
        if (*p_ > 1) return fail_boolean(*p_);
        ++p_;
        return true;
    case avro_kind::int_type: {
        int32_t v;
        return read_int(n, v, nullptr);
    }
    case avro_kind::long_type: {
        int64_t v;
        return read_long(n, v, nullptr);
    }
    case avro_kind::float_type: return take(n, 4);
    case avro_kind::double_type: return take(n, 8);
    case avro_kind::bytes:
    case avro_kind::string: {
        size_t len;
        if (!read_length(n, len)) return false;
        if (n.kind == avro_kind::string && !valid_utf8(p_, len)) return fail_text("string is not valid UTF-8");
        p_ += len;
        return true;
    }
    case avro_kind::fixed: return take(n, n.size);
    case avro_kind::enumeration: {
        int32_t index;
        if (!read_int(n, index, "enum index")) return false;
        if (index < 0 || size_t(index) >= n.symbols.size()) return fail_index(n, index);
        return true;
    }
    case avro_kind::union_type: {
        int64_t index;
        if (!read_long(n, index, "union branch index")) return false;
        if (index < 0 || uint64_t(index) >= n.branches.size()) return fail_index(n, index);
        // No depth step: a branch is never itself a union.
        return value(*n.branches[size_t(index)], depth);
    }
    case avro_kind::record:
        if (++depth > max_depth) return fail_depth();
        for (const avro_field& f : n.fields)
            if (!value(*f.type, depth)) return in_field(f);
        return true;
    case avro_kind::array:
    case avro_kind::map:
        if (++depth > max_depth) return fail_depth();
        return blocks(n, depth);
    }
    return fail_text("unknown type");
}

// Blocks of items until a zero count; a negative count is followed by the
// block's size in bytes, which must match what its items take.
bool avro_decoder::blocks(const avro_node& n, int depth) {
    const bool is_map = n.kind == avro_kind::map;
    const char* kind = is_map ? "map" : "array";
    // Items that take no bytes (null, fixed(0)) are valid in any number;
    // every other item takes at least one byte, which bounds the count.
    const bool zero_size = !is_map && n.items->zero_size;
    int64_t index = 0;
    while (true) {
        int64_t count;
        if (!read_long(n, count, is_map ? "map block count" : "array block count")) return false;
        if (count == 0) return true;
        int64_t byte_size = -1;
        if (count < 0) {
            if (count == INT64_MIN) return fail_block(kind, "count", count, 0);
            count = -count;
            if (!read_long(n, byte_size, is_map ? "map block byte size" : "array block byte size")) return false;
            if (byte_size < 0 || uint64_t(byte_size) > left())
                return fail_block(kind, "size", byte_size, int64_t(left()));
        }
        const uint8_t* start = p_;
        if (zero_size) {
            index += count;
        } else {
            if (uint64_t(count) > left()) return fail_block(kind, "items", count, int64_t(left()));
            for (int64_t i = 0; i < count; ++i, ++index) {
                const uint8_t* key = nullptr;
                size_t key_len = 0;
                if (is_map) {
                    if (!read_length(map_key, key_len)) return in_map_key(index);
                    key = p_;
                    if (!valid_utf8(key, key_len)) return fail_text("map key is not valid UTF-8");
                    p_ += key_len;
                }
                if (!value(*n.items, depth)) return in_element(index, key, key_len);
            }
        }
        if (byte_size >= 0 && p_ - start != byte_size) return fail_block(kind, "mismatch", byte_size, p_ - start);
    }
}

} // namespace strata::schema::avro
