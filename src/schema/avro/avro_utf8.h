#pragma once
// UTF-8 well-formedness (RFC 3629: no overlong forms, no surrogates, nothing
// above U+10FFFF), for Avro strings on the produce path. Pure function.

#include <cstddef>
#include <cstdint>

namespace strata::schema::avro {

bool valid_utf8(const uint8_t* p, size_t n);

} // namespace strata::schema::avro
