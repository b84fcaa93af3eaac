#include "strata/storage/segment_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "strata/storage/io_error_text.h"

namespace strata::storage {

namespace {
failure<errc> io_failure(const char* op, const std::string& path) {
    spdlog::error("storage: {} {}: {}", op, path, io_error_text(errno));
    return fail(errc::io_error);
}
} // namespace

result<std::shared_ptr<segment_file>, errc> segment_file::open(const std::filesystem::path& path, bool create) {
    int flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0);
    int fd = ::open(path.c_str(), flags, 0644);
    if (fd < 0) {
        if (errno == ENOENT && !create)
            return fail(errc::not_found);
        return io_failure("open", path.string());
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        auto f = io_failure("fstat", path.string());
        ::close(fd);
        return f;
    }
    return std::shared_ptr<segment_file>(new segment_file(fd, path.string(), uint64_t(st.st_size), st.st_dev));
}

segment_file::~segment_file() {
    if (fd_ >= 0)
        ::close(fd_);
}

result<size_t, errc> segment_file::pread(std::span<uint8_t> buf, uint64_t pos) const {
    size_t done = 0;
    while (done < buf.size()) {
        ssize_t n = ::pread(fd_, buf.data() + done, buf.size() - done, off_t(pos + done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return io_failure("pread", path_);
        }
        if (n == 0)
            break;
        done += size_t(n);
    }
    return done;
}

result<void, errc> segment_file::pwrite(std::span<const uint8_t> buf, uint64_t pos) {
    size_t done = 0;
    while (done < buf.size()) {
        ssize_t n = ::pwrite(fd_, buf.data() + done, buf.size() - done, off_t(pos + done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return io_failure("pwrite", path_);
        }
        done += size_t(n);
    }
    if (pos + buf.size() > size_)
        size_ = pos + buf.size();
    return {};
}

result<void, errc> segment_file::append(std::span<const uint8_t> buf) {
    auto r = pwrite(buf, size_);
    // A failed append (a full disk) may have written part of the batch: cut
    // it off so the file ends at the last whole batch and later appends and
    // recovery see no half-written bytes. Best effort: the disk is failing.
    if (!r)
        (void)::ftruncate(fd_, off_t(size_));
    return r;
}

result<void, errc> segment_file::truncate(uint64_t size) {
    while (::ftruncate(fd_, off_t(size)) != 0) {
        if (errno != EINTR)
            return io_failure("ftruncate", path_);
    }
    size_ = size;
    return {};
}

result<void, errc> segment_file::sync() {
    while (::fdatasync(fd_) != 0) {
        if (errno != EINTR)
            return io_failure("fdatasync", path_);
    }
    return {};
}

result<void, errc> segment_file::start_writeback() {
    while (::sync_file_range(fd_, 0, 0, SYNC_FILE_RANGE_WRITE) != 0) {
        if (errno != EINTR)
            return io_failure("sync_file_range", path_);
    }
    return {};
}

result<void, errc> segment_file::unlink() {
    if (::unlink(path_.c_str()) != 0 && errno != ENOENT)
        return io_failure("unlink", path_);
    return {};
}

result<void, errc> sync_directory(const std::filesystem::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return io_failure("open", dir.string());
    int rc;
    while ((rc = ::fsync(fd)) != 0 && errno == EINTR) {
    }
    auto r = rc == 0 ? result<void, errc>{} : result<void, errc>{io_failure("fsync", dir.string())};
    ::close(fd);
    return r;
}

result<void, errc> write_file_atomically(const std::filesystem::path& path, std::span<const uint8_t> bytes,
                                         bool sync) {
    auto tmp = path;
    tmp += ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    bool ok = fd >= 0 && ::write(fd, bytes.data(), bytes.size()) == ssize_t(bytes.size()) &&
              (!sync || ::fsync(fd) == 0);
    if (fd >= 0)
        ::close(fd);
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
        spdlog::error("storage: cannot write {}: {}", path.string(), std::strerror(errno));
        return fail(errc::io_error);
    }
    return {};
}

result<void, errc> rename_file(const std::filesystem::path& from, const std::filesystem::path& to) {
    if (::rename(from.c_str(), to.c_str()) != 0)
        return io_failure("rename", from.string() + " to " + to.string());
    return {};
}

} // namespace strata::storage
