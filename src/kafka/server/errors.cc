#include "strata/kafka/server/errors.h"

namespace strata::kafka::server {

error_code to_kafka_error(storage::errc e) {
    using storage::errc;
    switch (e) {
    case errc::corrupt_message: return error_code::corrupt_message;
    case errc::unsupported_magic: return error_code::unsupported_for_message_format;
    case errc::message_too_large: return error_code::message_too_large;
    case errc::invalid_record: return error_code::invalid_record;
    case errc::out_of_order_sequence: return error_code::out_of_order_sequence_number;
    case errc::duplicate_sequence: return error_code::duplicate_sequence_number;
    case errc::invalid_producer_epoch: return error_code::invalid_producer_epoch;
    case errc::unknown_producer_id: return error_code::unknown_producer_id;
    case errc::offset_out_of_range: return error_code::offset_out_of_range;
    case errc::io_error: return error_code::kafka_storage_error;
    case errc::not_found: return error_code::unknown_topic_or_partition;
    case errc::compression_unsupported: return error_code::unsupported_compression_type;
    case errc::invalid_timestamp: return error_code::invalid_timestamp;
    }
    return error_code::unknown_server_error;
}

error_code to_kafka_error(cluster::errc e) {
    using cluster::errc;
    switch (e) {
    case errc::topic_already_exists: return error_code::topic_already_exists;
    case errc::invalid_topic_name: return error_code::invalid_topic_exception;
    case errc::invalid_partitions: return error_code::invalid_partitions;
    case errc::invalid_replication_factor: return error_code::invalid_replication_factor;
    case errc::invalid_config: return error_code::invalid_config;
    case errc::unknown_topic: return error_code::unknown_topic_or_partition;
    case errc::storage_error: return error_code::kafka_storage_error;
    case errc::deletion_disabled: return error_code::topic_deletion_disabled;
    case errc::invalid_replica_assignment: return error_code::invalid_replica_assignment;
    case errc::creation_in_progress: return error_code::leader_not_available;
    case errc::metadata_unavailable: return error_code::request_timed_out;
    case errc::concurrent_change: return error_code::request_timed_out;
    }
    return error_code::unknown_server_error;
}

error_code to_kafka_error(schema::errc e) {
    switch (e) {
    case schema::errc::corrupt_batch: return error_code::corrupt_message;
    case schema::errc::dead_letter_write_failed: return error_code::kafka_storage_error;
    // Retriable: the producer tries again once the cluster has created or elected it.
    case schema::errc::dead_letter_unavailable: return error_code::kafka_storage_error;
    }
    return error_code::unknown_server_error;
}

} // namespace strata::kafka::server
