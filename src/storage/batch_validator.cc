#include "strata/storage/batch_validator.h"

#include <algorithm>

#include "strata/base/crc32c.h"
#include "strata/storage/record_reader.h"

namespace strata::storage {

namespace {

// Header fields after the 12-byte prefix: the least batch_length a v2 batch
// can state (Kafka's RECORD_BATCH_OVERHEAD - LOG_OVERHEAD).
constexpr size_t min_batch_length = batch_header_size - batch_length_prefix;
// The least batch_length of any format (Kafka's LegacyRecord.RECORD_OVERHEAD_V0);
// below it Kafka does not even read the magic.
constexpr int32_t min_any_batch_length = 14;
constexpr size_t scratch_keep_bytes = 8 * 1024 * 1024;

} // namespace

void batch_summary::push_back(const batch_info& b) {
    if (size_ < inline_.size())
        inline_[size_] = b;
    else
        spill_.push_back(b);
    ++size_;
}

result<void, errc> batch_validator::check_header(std::span<const uint8_t> batch, const batch_header& h) const {
    uint32_t crc = crc32c(batch.subspan(batch_crc_start));
    if (crc != h.crc)
        return fail(errc::corrupt_message);
    if ((h.attributes & 0x07) > int(compression_type::zstd))
        return fail(errc::compression_unsupported);
    if (h.records_count < 0)
        return fail(errc::invalid_record);
    if (limits_.client_origin) {
        // LogValidator.validateBatch: the offset range and the count agree.
        if (h.records_count <= 0 || h.last_offset_delta < 0 ||
            int64_t(h.last_offset_delta) + 1 != int64_t(h.records_count))
            return fail(errc::invalid_record);
        if (h.is_control())
            return fail(errc::invalid_record);
        if (h.has_producer_id() && h.base_sequence < 0)
            return fail(errc::invalid_record);
    }
    return {};
}

result<void, errc> batch_validator::check_records(std::span<const uint8_t> batch, const batch_header& h,
                                                  batch_info& info, batch_summary& summary) {
    std::span<const uint8_t> records = batch.subspan(batch_header_size);
    if (h.compression() != compression_type::none) {
        if (auto r = decompressor_.decompress(h.compression(), records, scratch_, limits_.max_decompressed_bytes);
            !r)
            return r;
        records = scratch_;
    }
    record_reader reader(records, h.records_count);
    record_view rec;
    int64_t max_delta = INT64_MIN;
    for (int32_t i = 0;; ++i) {
        auto more = reader.next(rec);
        // Records that lie about their lengths or count are Kafka's
        // InvalidRecordException (DefaultRecord), unlike a corrupt batch.
        if (!more)
            return fail(errc::invalid_record);
        if (!*more)
            break;
        // Java clients number records 0..n-1; anything else would give the
        // stored records offsets that differ from those the header claims.
        if (limits_.client_origin && rec.offset_delta != i)
            return fail(errc::invalid_record);
        if (rec.key_is_null)
            summary.all_records_have_keys = false;
        max_delta = std::max(max_delta, rec.timestamp_delta);
    }
    info.records_max_timestamp = h.records_count > 0 ? h.base_timestamp + max_delta : -1;
    return {};
}

result<batch_summary, errc> batch_validator::validate(std::span<const uint8_t> payload) {
    batch_summary summary;
    summary.deep = limits_.deep;
    // The checks come in the order Kafka makes them (ByteBufferLogInputStream,
    // ProduceRequest.validateRecords, UnifiedLog.analyzeAndValidateRecords),
    // so a batch with several faults gets the error Kafka would give.
    size_t pos = 0;
    do {
        std::span<const uint8_t> rest = payload.subspan(pos);
        // Kafka finds no batch in bytes that cannot hold a whole one; with no
        // batch at all the Produce is INVALID_RECORD. Kafka would silently
        // drop such a fragment after a whole batch; we refuse it.
        const auto incomplete = [&] { return fail(pos == 0 ? errc::invalid_record : errc::corrupt_message); };
        if (rest.size() < batch_length_prefix)
            return incomplete();
        int32_t batch_length = int32_t(be::load32(rest.data() + batch_field::batch_length));
        if (batch_length < min_any_batch_length)
            return fail(errc::corrupt_message);
        if (rest.size() <= batch_field::magic)
            return incomplete();
        int8_t magic = int8_t(rest[batch_field::magic]);
        if (magic < 0 || magic > 2)
            return fail(errc::corrupt_message); // no format Kafka knows
        size_t size = size_t(batch_length) + batch_length_prefix;
        if (size > rest.size())
            return incomplete();
        if (limits_.single_batch && pos != 0)
            return fail(errc::invalid_record);
        // v0/v1 message sets have other, shorter layouts: nothing more to read.
        if (magic != 2)
            return fail(errc::unsupported_magic);
        if (limits_.client_origin && be::load64(rest.data()) != 0)
            return fail(errc::invalid_record); // base_offset
        if (size > limits_.max_message_bytes)
            return fail(errc::message_too_large);
        if (size_t(batch_length) < min_batch_length)
            return fail(errc::corrupt_message);

        std::span<const uint8_t> batch = rest.first(size);
        batch_header h = batch_header::decode(batch.data());
        if (auto r = check_header(batch, h); !r)
            return fail(r.error());

        batch_info info;
        info.position = pos;
        info.size_bytes = size;
        info.base_offset = h.base_offset;
        info.records_count = h.records_count;
        info.last_offset_delta = h.last_offset_delta;
        info.base_timestamp = h.base_timestamp;
        info.max_timestamp = h.max_timestamp;
        info.producer_id = h.producer_id;
        info.producer_epoch = h.producer_epoch;
        info.base_sequence = h.base_sequence;
        info.compression = h.compression();
        info.ts_type = h.ts_type();
        info.transactional = h.is_transactional();
        info.control = h.is_control();
        if (limits_.deep) {
            auto r = check_records(batch, h, info, summary);
            // Keep the scratch warm for ordinary batches, but do not let one
            // huge batch pin its memory to this thread forever.
            if (scratch_.capacity() > scratch_keep_bytes)
                std::vector<uint8_t>().swap(scratch_);
            if (!r)
                return fail(r.error());
        }
        summary.push_back(info);
        summary.total_records += h.records_count;
        summary.total_bytes += size;
        pos += size;
    } while (pos < payload.size());
    return summary;
}

result<batch_summary, errc> validate_batches(std::span<const uint8_t> payload, const validation_limits& limits) {
    thread_local batch_validator validator;
    validator.set_limits(limits);
    return validator.validate(payload);
}

} // namespace strata::storage
