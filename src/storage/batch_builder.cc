#include "strata/storage/batch_builder.h"

#include <algorithm>

#include "strata/base/crc32c.h"
#include "strata/storage/varint.h"

namespace strata::storage {

namespace {

void put_varint(std::vector<uint8_t>& out, int32_t v) {
    uint8_t tmp[max_varint_size];
    out.insert(out.end(), tmp, tmp + encode_varint(v, tmp));
}

void put_varlong(std::vector<uint8_t>& out, int64_t v) {
    uint8_t tmp[max_varlong_size];
    out.insert(out.end(), tmp, tmp + encode_varlong(v, tmp));
}

void put_bytes(std::vector<uint8_t>& out, std::optional<std::span<const uint8_t>> b) {
    if (!b) {
        put_varint(out, -1);
        return;
    }
    put_varint(out, int32_t(b->size()));
    out.insert(out.end(), b->begin(), b->end());
}

size_t bytes_size(std::optional<std::span<const uint8_t>> b) {
    return b ? varint_size(int32_t(b->size())) + b->size() : 1;
}

void store16(uint8_t* p, uint16_t v) {
    p[0] = uint8_t(v >> 8);
    p[1] = uint8_t(v);
}

} // namespace

void batch_builder::add(const record_input& r) {
    if (count_ == 0) {
        base_timestamp_ = r.timestamp;
        max_timestamp_ = r.timestamp;
    }
    max_timestamp_ = std::max(max_timestamp_, r.timestamp);
    int64_t ts_delta = r.timestamp - base_timestamp_;
    int32_t offset_delta = count_;

    // The body size comes first in the encoding, so compute it up front
    // rather than encode twice.
    size_t body = 1 + varlong_size(ts_delta) + varint_size(offset_delta) + bytes_size(r.key) +
                  bytes_size(r.value) + varint_size(int32_t(r.headers.size()));
    for (const auto& h : r.headers)
        body += bytes_size(h.key) + bytes_size(h.value);

    records_.reserve(records_.size() + body + max_varint_size);
    put_varint(records_, int32_t(body));
    records_.push_back(0); // attributes: unused in v2
    put_varlong(records_, ts_delta);
    put_varint(records_, offset_delta);
    put_bytes(records_, r.key);
    put_bytes(records_, r.value);
    put_varint(records_, int32_t(r.headers.size()));
    for (const auto& h : r.headers) {
        put_bytes(records_, h.key);
        put_bytes(records_, h.value);
    }
    ++count_;
}

result<void, errc> batch_builder::build_append(std::vector<uint8_t>& out) {
    if (count_ == 0)
        return fail(errc::invalid_record);
    std::span<const uint8_t> payload = records_;
    if (opts_.compression != compression_type::none) {
        compressed_.clear();
        if (auto r = compress_append(opts_.compression, records_, compressed_, opts_.compression_level); !r)
            return r;
        payload = compressed_;
    }
    size_t total = batch_header_size + payload.size();
    if (total - batch_length_prefix > size_t(INT32_MAX))
        return fail(errc::message_too_large);

    size_t start = out.size();
    out.resize(start + batch_header_size);
    uint8_t* h = out.data() + start;
    int16_t attributes = int16_t(uint8_t(opts_.compression) | (uint8_t(opts_.ts_type) << 3) |
                                 (opts_.transactional ? 0x10 : 0) | (opts_.control ? 0x20 : 0));
    be::store64(h + batch_field::base_offset, uint64_t(opts_.base_offset));
    be::store32(h + batch_field::batch_length, uint32_t(total - batch_length_prefix));
    be::store32(h + batch_field::partition_leader_epoch, uint32_t(opts_.partition_leader_epoch));
    h[batch_field::magic] = 2;
    store16(h + batch_field::attributes, uint16_t(attributes));
    be::store32(h + batch_field::last_offset_delta, uint32_t(count_ - 1));
    be::store64(h + batch_field::base_timestamp, uint64_t(base_timestamp_));
    be::store64(h + batch_field::max_timestamp, uint64_t(max_timestamp_));
    be::store64(h + batch_field::producer_id, uint64_t(opts_.producer_id));
    store16(h + batch_field::producer_epoch, uint16_t(opts_.producer_epoch));
    be::store32(h + batch_field::base_sequence, uint32_t(opts_.base_sequence));
    be::store32(h + batch_field::records_count, uint32_t(count_));
    out.insert(out.end(), payload.begin(), payload.end());

    // The CRC covers attributes to the end; base offset, length, leader epoch
    // and magic stay outside so the broker can patch them.
    std::span<const uint8_t> covered(out.data() + start + batch_crc_start, total - batch_crc_start);
    be::store32(out.data() + start + batch_field::crc, crc32c(covered));
    return {};
}

result<std::vector<uint8_t>, errc> batch_builder::build() {
    std::vector<uint8_t> out;
    if (auto r = build_append(out); !r)
        return fail(r.error());
    return out;
}

} // namespace strata::storage
