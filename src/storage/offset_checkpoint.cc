#include "strata/storage/offset_checkpoint.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "strata/storage/segment_file.h"

namespace strata::storage {

result<void, errc> write_offset_checkpoint(const std::filesystem::path& path, int64_t offset) {
    auto text = fmt::format("{}\n", offset);
    return write_file_atomically(path, {reinterpret_cast<const uint8_t*>(text.data()), text.size()}, true);
}

result<int64_t, errc> read_offset_checkpoint(const std::filesystem::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return int64_t(-1);
        spdlog::error("storage: cannot open {}: {}", path.string(), std::strerror(errno));
        return fail(errc::io_error);
    }
    char buf[32];
    ssize_t n = ::read(fd, buf, sizeof buf);
    ::close(fd);
    int64_t v = -1;
    if (n <= 0 || std::from_chars(buf, buf + n, v).ec != std::errc()) {
        spdlog::warn("storage: ignoring malformed {}", path.string());
        return int64_t(-1);
    }
    return v;
}

} // namespace strata::storage
