#pragma once
// Start-up replay of an internal topic (__consumer_offsets, _schemas): every
// data record of a log from its start to its end, in offset order, with
// compressed batches decompressed and control batches skipped; and the
// records of one batch. Runs on the caller's thread (the broker thread).

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "strata/base/result.h"
#include "strata/storage/compression.h"
#include "strata/storage/errc.h"
#include "strata/storage/log.h"
#include "strata/storage/record_reader.h"

namespace strata::storage {

// `on_record` gets the record's offset and a view valid only during the call.
// Fails when the log cannot be read or a batch does not decode.
result<void, errc> for_each_record(log& l, const std::function<void(int64_t, const record_view&)>& on_record);
// The same for the batches holding offsets [from, to): records of the first
// batch before `from` are handed over too (their offsets tell them apart).
result<void, errc> for_each_record(log& l, int64_t from, int64_t to,
                                   const std::function<void(int64_t, const record_view&)>& on_record);

// The records of one whole batch, decompressed with `codec` into `plain`.
result<void, errc> for_each_batch_record(std::span<const uint8_t> batch, decompressor& codec,
                                         std::vector<uint8_t>& plain,
                                         const std::function<void(int64_t, const record_view&)>& on_record);

} // namespace strata::storage
