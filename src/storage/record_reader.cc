#include "strata/storage/record_reader.h"

#include "strata/storage/varint.h"

namespace strata::storage {

namespace {

// A bounds-checked cursor over one record's body: every read either succeeds
// within the body or sets `bad`, so a lying length cannot read past it.
struct cursor {
    std::span<const uint8_t> in;
    size_t pos = 0;
    bool bad = false;

    int32_t varint() {
        int32_t v = 0;
        size_t n = bad ? 0 : decode_varint(in.subspan(pos), v);
        bad |= n == 0;
        pos += n;
        return v;
    }
    int64_t varlong() {
        int64_t v = 0;
        size_t n = bad ? 0 : decode_varlong(in.subspan(pos), v);
        bad |= n == 0;
        pos += n;
        return v;
    }
    // A length-prefixed byte string; -1 means null when `nullable`.
    std::span<const uint8_t> bytes(bool nullable, bool& is_null) {
        int32_t len = varint();
        is_null = false;
        if (bad)
            return {};
        if (len < 0) {
            bad |= !(nullable && len == -1);
            is_null = true;
            return {};
        }
        if (size_t(len) > in.size() - pos) {
            bad = true;
            return {};
        }
        auto s = in.subspan(pos, size_t(len));
        pos += size_t(len);
        return s;
    }
};

} // namespace

bool record_header_iterator::next(record_header_view& out) {
    if (left_ <= 0)
        return false;
    --left_;
    cursor c{rest_};
    bool key_null = false;
    out.key = c.bytes(false, key_null);
    out.value = c.bytes(true, out.value_is_null);
    rest_ = rest_.subspan(c.pos);
    return true;
}

result<bool, errc> record_reader::next(record_view& out) {
    if (left_ <= 0) {
        // The declared count is exhausted: leftover bytes mean it lied.
        if (!rest_.empty())
            return fail(errc::corrupt_message);
        return false;
    }
    int32_t length = 0;
    size_t prefix = decode_varint(rest_, length);
    if (prefix == 0 || length < 0 || size_t(length) > rest_.size() - prefix)
        return fail(errc::corrupt_message);

    cursor c{rest_.subspan(prefix, size_t(length))};
    if (c.in.empty())
        return fail(errc::corrupt_message);
    out.attributes = int8_t(c.in[0]);
    c.pos = 1;
    out.timestamp_delta = c.varlong();
    out.offset_delta = c.varint();
    out.key = c.bytes(true, out.key_is_null);
    out.value = c.bytes(true, out.value_is_null);
    out.header_count = c.varint();
    if (c.bad || out.header_count < 0)
        return fail(errc::corrupt_message);
    size_t headers_start = c.pos;
    for (int32_t i = 0; i < out.header_count && !c.bad; ++i) {
        bool null = false;
        c.bytes(false, null);
        c.bytes(true, null);
    }
    // The declared length must be exactly what the fields used.
    if (c.bad || c.pos != c.in.size())
        return fail(errc::corrupt_message);
    out.header_bytes = c.in.subspan(headers_start);
    out.size_bytes = prefix + size_t(length);
    rest_ = rest_.subspan(out.size_bytes);
    --left_;
    return true;
}

} // namespace strata::storage
