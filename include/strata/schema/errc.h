#pragma once
// Errors of produce-time validation; the produce handler maps them to Kafka codes.

namespace strata::schema {

enum class errc {
    corrupt_batch,             // the records could not be decoded (storage validation should have caught it)
    dead_letter_write_failed,  // appending or syncing the dead-letter topic failed: the disk is in trouble
    dead_letter_unavailable,   // the dead-letter partition is being created or has no leader: retry
};

const char* to_string(errc e);

} // namespace strata::schema
