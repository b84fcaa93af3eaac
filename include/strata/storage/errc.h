#pragma once
// Errors of the storage module. The Kafka handlers translate them to Kafka
// error codes (kafka/protocol/errors.h) in one place.

#include <cstdint>

namespace strata::storage {

enum class errc : uint8_t {
    corrupt_message = 1,        // bad CRC, lying lengths/counts, undecodable compressed payload
    unsupported_magic,          // not record batch v2
    message_too_large,          // batch larger than max.message.bytes
    invalid_record,             // well-formed but not acceptable (e.g. empty batch)
    out_of_order_sequence,      // idempotent producer sequence gap
    duplicate_sequence,         // a retry of a batch older than the ones remembered (written, offset unknown)
    invalid_producer_epoch,     // producer epoch older than the one seen
    unknown_producer_id,        // sequence without known state and not starting at 0 (Kafka 2.x semantics)
    offset_out_of_range,        // read below log start or above log end
    io_error,                   // the disk failed us (KAFKA_STORAGE_ERROR)
    not_found,                  // partition or file missing
    compression_unsupported,    // an attribute names an unknown codec
    invalid_timestamp,          // a timestamp outside message.timestamp.before/after.max.ms
};

const char* to_string(errc e);

} // namespace strata::storage
