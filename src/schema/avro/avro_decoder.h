#pragma once
// Checks that a payload is one value of an Avro schema in the binary
// encoding, consuming it exactly: varints within range, lengths within the
// payload, UTF-8 strings, booleans 0 or 1, enum and union indexes in range,
// array and map blocks (with the byte sizes of negative-count blocks). Nothing
// is materialized and nothing is allocated unless the payload is invalid; the
// error names the field path. Runs on the broker thread for every produced
// record under full validation, so one decoder lives for one payload.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "avro_node.h"

namespace strata::schema::avro {

class avro_decoder {
public:
    // Records, arrays and maps nest at most this deep (a linked list of a
    // thousand nodes): a recursive schema lets a hostile payload nest without
    // end otherwise, and each level is a stack frame.
    static constexpr int max_depth = 1000;

    explicit avro_decoder(std::span<const uint8_t> payload)
        : p_(payload.data()), end_(payload.data() + payload.size()) {}

    // Why the payload is not exactly one value of `root`, or nothing.
    std::optional<std::string> validate(const avro_node& root);

private:
    bool value(const avro_node& n, int depth);
    bool blocks(const avro_node& n, int depth);
    bool read_long(const avro_node& n, int64_t& out, const char* what);
    bool read_int(const avro_node& n, int32_t& out, const char* what);
    bool read_length(const avro_node& n, size_t& out);
    bool take(const avro_node& n, size_t count);
    size_t left() const { return size_t(end_ - p_); }

    // Failures build their messages out of line, so that value(), one frame
    // per nesting level, keeps a small frame.
    [[gnu::cold, gnu::noinline]] bool fail(std::string message);
    [[gnu::cold, gnu::noinline]] bool fail_text(const char* message);
    [[gnu::cold, gnu::noinline]] bool fail_ended(const avro_node& n, const char* what);
    [[gnu::cold, gnu::noinline]] bool fail_varint(const char* what, int bits);
    [[gnu::cold, gnu::noinline]] bool fail_length(const char* what, int64_t length);
    [[gnu::cold, gnu::noinline]] bool fail_take(const avro_node& n, size_t count);
    [[gnu::cold, gnu::noinline]] bool fail_boolean(uint8_t b);
    [[gnu::cold, gnu::noinline]] bool fail_index(const avro_node& n, int64_t index);
    [[gnu::cold, gnu::noinline]] bool fail_depth();
    [[gnu::cold, gnu::noinline]] bool fail_block(const char* kind, const char* problem, int64_t number,
                                                 int64_t other);
    [[gnu::cold, gnu::noinline]] bool in_field(const avro_field& f);
    [[gnu::cold, gnu::noinline]] bool in_map_key(int64_t index);
    [[gnu::cold, gnu::noinline]] bool in_element(int64_t index, const uint8_t* key, size_t key_len);

    const uint8_t* p_;
    const uint8_t* end_;
    // Filled only on failure: the message and the path, innermost first.
    std::string message_;
    std::vector<std::string> path_;
};

} // namespace strata::schema::avro
