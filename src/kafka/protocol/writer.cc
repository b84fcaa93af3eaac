#include "strata/kafka/protocol/writer.h"

#include <unistd.h>

namespace strata::kafka {

void writer::write_uvarint(uint32_t v) {
    while (v >= 0x80) {
        buf_.push_back(uint8_t(v | 0x80));
        v >>= 7;
    }
    buf_.push_back(uint8_t(v));
}

void writer::write_varlong(int64_t sv) {
    uint64_t v = (uint64_t(sv) << 1) ^ uint64_t(sv >> 63);
    while (v >= 0x80) {
        buf_.push_back(uint8_t(v | 0x80));
        v >>= 7;
    }
    buf_.push_back(uint8_t(v));
}

void writer::write_records(const kafka::records& r, bool compact) {
    write_bytes_length(int32_t(r.size()), compact);
    if (!r.is_file_backed()) return write_raw(r.bytes());
    for (const auto& region : r.regions()) {
        regions_.emplace_back(buf_.size(), region);
        region_bytes_ += region.size;
    }
}

encoded_message writer::finish() && {
    encoded_message msg;
    msg.size_bytes = size_bytes();
    auto& out = msg.parts;
    size_t at = 0;
    for (auto& [where, region] : regions_) {
        if (where > at) out.emplace_back(byte_run{at, where - at});
        at = where;
        out.emplace_back(std::move(region));
    }
    if (buf_.size() > at) out.emplace_back(byte_run{at, buf_.size() - at});
    msg.bytes = std::move(buf_);
    return msg;
}

std::vector<uint8_t> writer::flatten() const {
    std::vector<uint8_t> out;
    out.reserve(size_bytes());
    size_t at = 0;
    for (const auto& [where, region] : regions_) {
        out.insert(out.end(), buf_.begin() + long(at), buf_.begin() + long(where));
        at = where;
        size_t start = out.size();
        out.resize(start + region.size);
        ssize_t n = ::pread(region.fd, out.data() + start, region.size, off_t(region.position));
        if (n != ssize_t(region.size)) out.resize(start + size_t(n > 0 ? n : 0));
    }
    out.insert(out.end(), buf_.begin() + long(at), buf_.end());
    return out;
}

} // namespace strata::kafka
