#include "strata/storage/segment_scanner.h"

#include <algorithm>

namespace strata::storage {

segment_scanner::segment_scanner(const segment_file& file, uint64_t start, uint64_t end,
                                 std::vector<uint8_t>& scratch, bool whole, size_t chunk)
    : file_(file), pos_(start), end_(end), scratch_(scratch), whole_(whole), chunk_(chunk) {}

result<bool, errc> segment_scanner::ensure(uint64_t pos, size_t n) {
    if (pos + n > end_)
        return false;
    if (pos >= window_pos_ && pos + n <= window_pos_ + window_len_)
        return true;
    size_t want = size_t(std::min<uint64_t>(std::max(chunk_, n), end_ - pos));
    if (scratch_.size() < want)
        scratch_.resize(want);
    auto r = file_.pread(std::span<uint8_t>(scratch_.data(), want), pos);
    if (!r)
        return fail(r.error());
    window_pos_ = pos;
    window_len_ = *r;
    return *r >= n;
}

result<segment_scanner::status, errc> segment_scanner::next() {
    if (pos_ == end_)
        return status::end;
    auto have = ensure(pos_, batch_length_prefix);
    if (!have)
        return fail(have.error());
    if (!*have)
        return status::torn;
    int32_t length = int32_t(be::load32(at(pos_) + batch_field::batch_length));
    // A batch has at least its fixed header; anything shorter or running past
    // the end is a torn write or garbage.
    if (length < int32_t(batch_header_size - batch_length_prefix) ||
        uint64_t(length) + batch_length_prefix > end_ - pos_)
        return status::torn;
    size_t size = size_t(length) + batch_length_prefix;
    have = ensure(pos_, whole_ ? size : batch_header_size);
    if (!have)
        return fail(have.error());
    if (!*have)
        return status::torn;
    current_.position = pos_;
    current_.header = batch_header::decode(at(pos_));
    current_.bytes = whole_ ? std::span<const uint8_t>(at(pos_), size) : std::span<const uint8_t>{};
    pos_ += size;
    return status::batch;
}

} // namespace strata::storage
