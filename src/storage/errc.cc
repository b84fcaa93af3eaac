#include "strata/storage/errc.h"

namespace strata::storage {

const char* to_string(errc e) {
    switch (e) {
    case errc::corrupt_message: return "corrupt message";
    case errc::unsupported_magic: return "unsupported record batch magic";
    case errc::message_too_large: return "message too large";
    case errc::invalid_record: return "invalid record";
    case errc::out_of_order_sequence: return "out of order sequence number";
    case errc::duplicate_sequence: return "duplicate sequence number";
    case errc::invalid_producer_epoch: return "invalid producer epoch";
    case errc::unknown_producer_id: return "unknown producer id";
    case errc::offset_out_of_range: return "offset out of range";
    case errc::io_error: return "storage I/O error";
    case errc::not_found: return "not found";
    case errc::compression_unsupported: return "unsupported compression codec";
    case errc::invalid_timestamp: return "timestamp out of the accepted range";
    }
    return "unknown storage error";
}

} // namespace strata::storage
