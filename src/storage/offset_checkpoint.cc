#include "strata/storage/offset_checkpoint.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace strata::storage {

result<void, errc> write_offset_checkpoint(const std::filesystem::path& path, int64_t offset) {
    auto tmp = path;
    tmp += ".tmp";
    auto text = fmt::format("{}\n", offset);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    bool ok = fd >= 0 && ::write(fd, text.data(), text.size()) == ssize_t(text.size()) && ::fsync(fd) == 0;
    if (fd >= 0)
        ::close(fd);
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
        spdlog::error("storage: cannot write {}: {}", path.string(), std::strerror(errno));
        return fail(errc::io_error);
    }
    return {};
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
