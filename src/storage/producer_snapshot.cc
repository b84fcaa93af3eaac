#include "strata/storage/producer_snapshot.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "strata/base/crc32c.h"
#include "strata/storage/record_batch.h"
#include "strata/storage/segment_file.h"

namespace strata::storage {

namespace {
constexpr uint32_t magic = 0x53545053; // "STPS"
constexpr uint16_t version = 1;
constexpr size_t crc_start = 10; // magic + version + crc
constexpr size_t batch_bytes = 4 + 4 + 8 + 8;

void put16(std::vector<uint8_t>& b, uint16_t v) {
    b.push_back(uint8_t(v >> 8));
    b.push_back(uint8_t(v));
}
void put32(std::vector<uint8_t>& b, uint32_t v) {
    b.resize(b.size() + 4);
    be::store32(&b[b.size() - 4], v);
}
void put64(std::vector<uint8_t>& b, uint64_t v) {
    b.resize(b.size() + 8);
    be::store64(&b[b.size() - 8], v);
}

int64_t parse_name(const std::string& name) {
    if (name.size() != 29 || name.compare(20, 9, ".snapshot") != 0)
        return -1;
    int64_t v = -1;
    auto [p, ec] = std::from_chars(name.data(), name.data() + 20, v);
    return ec == std::errc() && p == name.data() + 20 ? v : -1;
}
} // namespace

std::filesystem::path producer_snapshot::file_name(const std::filesystem::path& dir, int64_t offset) {
    return dir / fmt::format("{:020d}.snapshot", offset);
}

result<void, errc> producer_snapshot::write(const std::filesystem::path& dir, int64_t offset,
                                            const producer_state& state, bool sync) {
    std::vector<uint8_t> b;
    put32(b, magic);
    put16(b, version);
    put32(b, 0);
    put32(b, uint32_t(state.size()));
    state.for_each([&](int64_t pid, const producer_state::entry& e) {
        put64(b, uint64_t(pid));
        put16(b, uint16_t(e.epoch));
        b.push_back(e.count);
        for (uint8_t i = 0; i < e.count; ++i) {
            const auto& m = e.batches[(e.head + i) % producer_state::batches_to_retain];
            put32(b, uint32_t(m.first_seq));
            put32(b, uint32_t(m.last_seq));
            put64(b, uint64_t(m.first_offset));
            put64(b, uint64_t(m.last_offset));
        }
    });
    be::store32(&b[6], crc32c(std::span<const uint8_t>(b).subspan(crc_start)));

    return write_file_atomically(file_name(dir, offset), b, sync);
}

result<bool, errc> producer_snapshot::read(const std::filesystem::path& path, producer_state& state) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        spdlog::error("storage: cannot open {}: {}", path.string(), std::strerror(errno));
        return fail(errc::io_error);
    }
    std::vector<uint8_t> b;
    uint8_t chunk[64 * 1024];
    for (;;) {
        ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            spdlog::error("storage: cannot read {}: {}", path.string(), std::strerror(errno));
            ::close(fd);
            return fail(errc::io_error);
        }
        if (n == 0)
            break;
        b.insert(b.end(), chunk, chunk + n);
    }
    ::close(fd);
    auto malformed = [&] {
        spdlog::warn("storage: ignoring malformed producer snapshot {}", path.string());
        return false;
    };
    if (b.size() < crc_start + 4 || be::load32(&b[0]) != magic || be::load16(&b[4]) != version ||
        be::load32(&b[6]) != crc32c(std::span<const uint8_t>(b).subspan(crc_start)))
        return malformed();
    producer_state loaded;
    uint32_t count = be::load32(&b[crc_start]);
    size_t pos = crc_start + 4;
    for (uint32_t i = 0; i < count; ++i) {
        if (b.size() - pos < 11)
            return malformed();
        int64_t pid = int64_t(be::load64(&b[pos]));
        producer_state::entry e;
        e.epoch = int16_t(be::load16(&b[pos + 8]));
        uint8_t batches = b[pos + 10];
        pos += 11;
        if (batches > producer_state::batches_to_retain || b.size() - pos < batches * batch_bytes)
            return malformed();
        for (uint8_t j = 0; j < batches; ++j, pos += batch_bytes)
            e.push({int32_t(be::load32(&b[pos])), int32_t(be::load32(&b[pos + 4])), int64_t(be::load64(&b[pos + 8])),
                    int64_t(be::load64(&b[pos + 16]))});
        loaded.restore(pid, e);
    }
    if (pos != b.size())
        return malformed();
    state = std::move(loaded);
    return true;
}

std::vector<int64_t> producer_snapshot::list(const std::filesystem::path& dir) {
    std::vector<int64_t> out;
    std::error_code ec;
    for (const auto& de : std::filesystem::directory_iterator(dir, ec)) {
        int64_t o = parse_name(de.path().filename().string());
        if (o >= 0)
            out.push_back(o);
    }
    std::sort(out.begin(), out.end());
    return out;
}

void producer_snapshot::remove_outside(const std::filesystem::path& dir, int64_t min_keep, int64_t max_keep) {
    std::error_code ec;
    for (int64_t o : list(dir))
        if (o < min_keep || o > max_keep)
            std::filesystem::remove(file_name(dir, o), ec);
}

} // namespace strata::storage
