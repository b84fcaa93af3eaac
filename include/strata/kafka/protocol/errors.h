#pragma once
// Kafka's error codes: the one table of code, name and message. Module errors
// (storage::errc, ...) are translated into these once, in the handlers.

#include <cstdint>

namespace strata::kafka {

// X(name, code, message)
#define STRATA_KAFKA_ERRORS(X)                                                                   \
    X(unknown_server_error, -1, "The server hit an unexpected error.")                           \
    X(none, 0, "")                                                                               \
    X(offset_out_of_range, 1, "The offset is outside the partition's range.")                    \
    X(corrupt_message, 2, "The record batch failed validation (CRC, sizes or format).")          \
    X(unknown_topic_or_partition, 3, "This broker has no such topic or partition.")              \
    X(invalid_fetch_size, 4, "The fetch size is invalid.")                                       \
    X(leader_not_available, 5, "The partition has no leader right now.")                         \
    X(not_leader_or_follower, 6, "This broker does not lead or follow the partition.")           \
    X(request_timed_out, 7, "The request timed out.")                                            \
    X(broker_not_available, 8, "The broker is not available.")                                   \
    X(replica_not_available, 9, "The replica is not available.")                                 \
    X(message_too_large, 10, "The batch is larger than the maximum the broker accepts.")        \
    X(offset_metadata_too_large, 12, "The committed offset metadata is too large.")              \
    X(network_exception, 13, "The connection failed.")                                           \
    X(coordinator_load_in_progress, 14, "The coordinator is still loading its state.")          \
    X(coordinator_not_available, 15, "The coordinator is not available.")                        \
    X(not_coordinator, 16, "This broker is not the coordinator for the key.")                    \
    X(invalid_topic_exception, 17, "The topic name is invalid.")                                 \
    X(record_list_too_large, 18, "The produce request is larger than the broker accepts.")      \
    X(not_enough_replicas, 19, "Fewer in-sync replicas than min.insync.replicas.")               \
    X(not_enough_replicas_after_append, 20, "Written, but to fewer replicas than required.")     \
    X(invalid_required_acks, 21, "The acks value is invalid.")                                   \
    X(illegal_generation, 22, "The group generation is stale.")                                  \
    X(inconsistent_group_protocol, 23, "The member's protocols do not match the group's.")      \
    X(invalid_group_id, 24, "The group id is invalid.")                                          \
    X(unknown_member_id, 25, "The member id is not known to the coordinator.")                   \
    X(invalid_session_timeout, 26, "The session timeout is out of the allowed range.")           \
    X(rebalance_in_progress, 27, "The group is rebalancing.")                                    \
    X(invalid_commit_offset_size, 28, "The committed offset metadata is too large.")             \
    X(topic_authorization_failed, 29, "Not authorized for the topic.")                           \
    X(group_authorization_failed, 30, "Not authorized for the group.")                           \
    X(cluster_authorization_failed, 31, "Not authorized for the cluster.")                       \
    X(invalid_timestamp, 32, "The timestamp is out of the accepted range.")                      \
    X(unsupported_sasl_mechanism, 33, "The SASL mechanism is not enabled.")                      \
    X(illegal_sasl_state, 34, "The request is not valid in this SASL state.")                    \
    X(unsupported_version, 35, "This broker does not serve that API version.")                   \
    X(topic_already_exists, 36, "The topic already exists.")                                     \
    X(invalid_partitions, 37, "The number of partitions is invalid.")                            \
    X(invalid_replication_factor, 38, "The replication factor is invalid.")                      \
    X(invalid_replica_assignment, 39, "The replica assignment is invalid.")                      \
    X(invalid_config, 40, "The configuration is invalid.")                                       \
    X(not_controller, 41, "This broker is not the controller.")                                  \
    X(invalid_request, 42, "The request is malformed or inconsistent.")                          \
    X(unsupported_for_message_format, 43, "The message format does not support this.")           \
    X(policy_violation, 44, "The request violates a broker policy.")                             \
    X(out_of_order_sequence_number, 45, "The producer sequence number is out of order.")         \
    X(duplicate_sequence_number, 46, "The producer sequence number was already written.")       \
    X(invalid_producer_epoch, 47, "The producer epoch is stale.")                                \
    X(invalid_txn_state, 48, "The transaction state does not allow this.")                       \
    X(invalid_producer_id_mapping, 49, "The producer id does not match the transactional id.")   \
    X(invalid_transaction_timeout, 50, "The transaction timeout is out of range.")               \
    X(concurrent_transactions, 51, "Another transaction operation is in progress.")             \
    X(security_disabled, 54, "Security features are disabled.")                                  \
    X(operation_not_attempted, 55, "Not attempted because another part of the request failed.") \
    X(kafka_storage_error, 56, "The broker could not read or write its disk.")                   \
    X(log_dir_not_found, 57, "The log directory does not exist.")                                \
    X(sasl_authentication_failed, 58, "SASL authentication failed.")                             \
    X(unknown_producer_id, 59, "The broker has no state for this producer id.")                  \
    X(non_empty_group, 68, "The group still has members.")                                       \
    X(group_id_not_found, 69, "The group does not exist.")                                       \
    X(fetch_session_id_not_found, 70, "The fetch session does not exist.")                       \
    X(invalid_fetch_session_epoch, 71, "The fetch session epoch is not the expected one.")       \
    X(listener_not_found, 72, "The listener is not known on this broker.")                       \
    X(topic_deletion_disabled, 73, "Topic deletion is disabled.")                                \
    X(fenced_leader_epoch, 74, "The leader epoch is older than the broker's.")                   \
    X(unknown_leader_epoch, 75, "The leader epoch is newer than the broker's.")                  \
    X(unsupported_compression_type, 76, "The compression type is not supported.")                \
    X(offset_not_available, 78, "The offset is not available yet.")                              \
    X(member_id_required, 79, "Rejoin with the member id the coordinator assigned.")             \
    X(preferred_leader_not_available, 80, "The preferred leader is not live and in sync.")      \
    X(group_max_size_reached, 81, "The group is full.")                                          \
    X(fenced_instance_id, 82, "Another member joined with this group.instance.id.")              \
    X(eligible_leaders_not_available, 83, "No live replica can be elected leader.")              \
    X(election_not_needed, 84, "The leader is already the one the election would choose.")       \
    X(no_reassignment_in_progress, 85, "No partition reassignment is in progress.")               \
    X(group_subscribed_to_topic, 86, "The group is subscribed to the topic.")                    \
    X(invalid_record, 87, "A record failed validation.")                                         \
    X(unstable_offset_commit, 88, "Pending transactional offsets for the partition.")            \
    X(throttling_quota_exceeded, 89, "A quota was exceeded.")                                    \
    X(producer_fenced, 90, "A newer producer with the same transactional id exists.")           \
    X(resource_not_found, 91, "The resource does not exist.")                                    \
    X(duplicate_resource, 92, "The resource is named twice in the request.")                     \
    X(unknown_topic_id, 100, "This broker has no topic with that id.")                           \
    X(inconsistent_topic_id, 103, "The topic id does not match the topic name.")                 \
    X(fetch_session_topic_id_error, 106, "The fetch session's topic ids are inconsistent.")     \
    X(fenced_member_epoch, 110, "The member epoch is fenced.")                                   \
    X(unreleased_instance_id, 111, "The instance id is still in use.")                           \
    X(unsupported_assignor, 112, "The assignor is not supported.")                               \
    X(stale_member_epoch, 113, "The member epoch is stale.")                                    \
    X(invalid_regular_expression, 128, "The regular expression is invalid.")

enum class error_code : int16_t {
#define STRATA_X(name, code, msg) name = code,
    STRATA_KAFKA_ERRORS(STRATA_X)
#undef STRATA_X
};

// The upper-case name Kafka uses ("UNKNOWN_TOPIC_OR_PARTITION").
const char* error_name(error_code e);
const char* error_message(error_code e);

inline int16_t code(error_code e) { return static_cast<int16_t>(e); }

} // namespace strata::kafka
