#pragma once
// segment_file: one open file of a partition log (.log, .index, .timeindex).
//
// Owned through std::shared_ptr: the segment holds one reference, and so may
// the flusher thread (fdatasync) and in-flight fetches (sendfile), so the fd
// stays valid after the segment is rolled, truncated or deleted. Appends,
// truncation and size tracking happen on the owning partition's thread only;
// sync() may run concurrently on the flusher thread (pwrite and fdatasync on
// one fd are safe together). Failures are logged with errno text and
// returned as errc::io_error.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <sys/types.h>

#include "strata/base/result.h"
#include "strata/storage/errc.h"

namespace strata::storage {

class segment_file {
public:
    // Opens `path` read-write, creating it when `create` is set.
    static result<std::shared_ptr<segment_file>, errc> open(const std::filesystem::path& path, bool create);

    segment_file(const segment_file&) = delete;
    segment_file& operator=(const segment_file&) = delete;
    ~segment_file();

    int fd() const { return fd_; }
    // The filesystem holding the file (st_dev), for syncing many files at once (file_sync.h).
    dev_t device() const { return device_; }
    const std::string& path() const { return path_; }
    // Bytes written through this object (the file size at open plus appends);
    // the owner thread's view, not re-read from the kernel.
    uint64_t size() const { return size_; }

    // Reads up to buf.size() bytes at `pos`; fewer only at end of file.
    result<size_t, errc> pread(std::span<uint8_t> buf, uint64_t pos) const;
    // Writes all of `buf` at `pos` (one syscall unless the kernel writes short).
    result<void, errc> pwrite(std::span<const uint8_t> buf, uint64_t pos);
    // Writes `buf` at the current end and advances size().
    result<void, errc> append(std::span<const uint8_t> buf);
    result<void, errc> truncate(uint64_t size);
    result<void, errc> sync();
    // Starts writing the file's dirty pages back without waiting for them
    // (sync_file_range WRITE): no durability, but a sync() after it has less
    // left to wait for.
    result<void, errc> start_writeback();
    // Removes the directory entry; the fd (and readers holding it) stay valid.
    result<void, errc> unlink();
    // Points at the file's new name after its directory was renamed.
    void set_path(std::string path) { path_ = std::move(path); }

private:
    segment_file(int fd, std::string path, uint64_t size, dev_t device)
        : fd_(fd), path_(std::move(path)), size_(size), device_(device) {}

    int fd_;
    std::string path_;
    uint64_t size_;
    dev_t device_;
};

// Makes the renames and unlinks done in `dir` durable (fsync of the directory).
result<void, errc> sync_directory(const std::filesystem::path& dir);
// Replaces `path` with `bytes` by writing `<path>.tmp` (fsynced when `sync`)
// and renaming it over: a crash leaves the old or the new content.
result<void, errc> write_file_atomically(const std::filesystem::path& path, std::span<const uint8_t> bytes,
                                         bool sync);
// rename(2), failures logged as for segment_file.
result<void, errc> rename_file(const std::filesystem::path& from, const std::filesystem::path& to);

} // namespace strata::storage
