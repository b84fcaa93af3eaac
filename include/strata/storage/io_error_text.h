#pragma once
// The words for a failed file operation in a log line: strerror, and for
// running out of descriptors, which limit it was and what to raise. Pure;
// callable from any thread.

#include <string>

namespace strata::storage {

std::string io_error_text(int error_number);

} // namespace strata::storage
