#pragma once
// Rebuilds one v2 batch without some of its records, for dead-letter routing
// (the invalid records of a produced batch go elsewhere and the rest are
// appended) and for the log cleaner (records superseded by later ones of
// their key go). Kept records are copied byte for byte, so their offset and
// timestamp deltas stay as the producer wrote them; the header keeps
// base_timestamp, producer id/epoch, base_sequence and last_offset_delta. The
// batch therefore still spans the producer's whole sequence range (the next
// idempotent batch follows on, a retry is recognised as a duplicate) and the
// dropped records leave offset gaps, exactly like compaction. A batch with no
// record left is written uncompressed with records_count 0, as Kafka's
// cleaner keeps empty batches to preserve producer state.
//
// Stateless function; called on the broker thread. The CRC is recomputed;
// the codec is kept unless no record is left.

#include <cstdint>
#include <span>
#include <vector>

#include "strata/base/result.h"
#include "strata/storage/errc.h"

namespace strata::storage {

// `batch` is the whole original batch (validated), `records` its decompressed
// records section, and `keep[i]` says whether record i stays.
result<std::vector<uint8_t>, errc> filter_batch(std::span<const uint8_t> batch, std::span<const uint8_t> records,
                                                const std::vector<bool>& keep);

} // namespace strata::storage
