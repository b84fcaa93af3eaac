#pragma once
// A partition's one-number checkpoint files (`log-start-offset.checkpoint`,
// `cleaner-offset.checkpoint`): one decimal offset and a newline. Written to
// `<name>.tmp`, fsynced and renamed over the old file, so a crash leaves the
// old or the new value, never a torn one. Stateless functions, called on the
// partition's thread.

#include <cstdint>
#include <filesystem>

#include "strata/base/result.h"
#include "strata/storage/errc.h"

namespace strata::storage {

result<void, errc> write_offset_checkpoint(const std::filesystem::path& path, int64_t offset);
// The stored offset; -1 when the file is missing or malformed (a warning is logged for the latter).
result<int64_t, errc> read_offset_checkpoint(const std::filesystem::path& path);

} // namespace strata::storage
