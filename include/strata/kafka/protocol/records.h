#pragma once
// The `records` field of Produce and Fetch messages. A decoded request keeps a
// mutable view into its frame buffer (the broker patches offsets in place before
// appending); a fetch response carries file regions that the connection sends
// with sendfile, so record bytes are never copied into the response.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace strata::kafka {

// A byte range of an open file. `keepalive` owns whatever keeps `fd` open
// (a segment file shared with the log), so a segment deleted by retention
// while a response is in flight is still readable.
struct file_region {
    std::shared_ptr<const void> keepalive;
    int fd = -1;
    uint64_t position = 0;
    uint32_t size = 0;
};

class records {
public:
    records() = default;
    // A view of bytes owned elsewhere (the request frame).
    static records view(std::span<uint8_t> bytes) {
        records r;
        r.view_ = bytes;
        return r;
    }
    static records from_regions(std::vector<file_region> regions) {
        records r;
        r.regions_ = std::move(regions);
        return r;
    }

    bool is_file_backed() const { return !regions_.empty(); }
    std::span<uint8_t> bytes() const { return view_; }
    const std::vector<file_region>& regions() const { return regions_; }

    size_t size() const {
        if (regions_.empty()) return view_.size();
        size_t n = 0;
        for (const auto& r : regions_) n += r.size;
        return n;
    }

    // Byte-wise equality for views; region lists compare by identity of position/size.
    friend bool operator==(const records& a, const records& b) {
        if (a.is_file_backed() || b.is_file_backed()) {
            if (a.regions_.size() != b.regions_.size()) return false;
            for (size_t i = 0; i < a.regions_.size(); ++i)
                if (a.regions_[i].fd != b.regions_[i].fd || a.regions_[i].position != b.regions_[i].position ||
                    a.regions_[i].size != b.regions_[i].size)
                    return false;
            return true;
        }
        return std::equal(a.view_.begin(), a.view_.end(), b.view_.begin(), b.view_.end());
    }

private:
    std::span<uint8_t> view_;
    std::vector<file_region> regions_;
};

} // namespace strata::kafka
