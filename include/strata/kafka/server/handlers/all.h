#pragma once
// Every handler, for the dispatch table: X(handler type, API name).

#include "strata/kafka/server/handlers/alter_configs.h"
#include "strata/kafka/server/handlers/alter_partition_reassignments.h"
#include "strata/kafka/server/handlers/api_versions.h"
#include "strata/kafka/server/handlers/consumer_group_describe.h"
#include "strata/kafka/server/handlers/consumer_group_heartbeat.h"
#include "strata/kafka/server/handlers/create_partitions.h"
#include "strata/kafka/server/handlers/create_topics.h"
#include "strata/kafka/server/handlers/delete_groups.h"
#include "strata/kafka/server/handlers/delete_topics.h"
#include "strata/kafka/server/handlers/describe_cluster.h"
#include "strata/kafka/server/handlers/describe_configs.h"
#include "strata/kafka/server/handlers/describe_groups.h"
#include "strata/kafka/server/handlers/describe_log_dirs.h"
#include "strata/kafka/server/handlers/elect_leaders.h"
#include "strata/kafka/server/handlers/fetch.h"
#include "strata/kafka/server/handlers/find_coordinator.h"
#include "strata/kafka/server/handlers/heartbeat.h"
#include "strata/kafka/server/handlers/incremental_alter_configs.h"
#include "strata/kafka/server/handlers/init_producer_id.h"
#include "strata/kafka/server/handlers/join_group.h"
#include "strata/kafka/server/handlers/leave_group.h"
#include "strata/kafka/server/handlers/list_groups.h"
#include "strata/kafka/server/handlers/list_offsets.h"
#include "strata/kafka/server/handlers/list_partition_reassignments.h"
#include "strata/kafka/server/handlers/metadata.h"
#include "strata/kafka/server/handlers/offset_commit.h"
#include "strata/kafka/server/handlers/offset_delete.h"
#include "strata/kafka/server/handlers/offset_fetch.h"
#include "strata/kafka/server/handlers/offset_for_leader_epoch.h"
#include "strata/kafka/server/handlers/produce.h"
#include "strata/kafka/server/handlers/sync_group.h"

#define STRATA_KAFKA_HANDLERS(X)                       \
    X(produce_handler, "Produce")                      \
    X(fetch_handler, "Fetch")                          \
    X(list_offsets_handler, "ListOffsets")             \
    X(metadata_handler, "Metadata")                    \
    X(offset_commit_handler, "OffsetCommit")           \
    X(offset_fetch_handler, "OffsetFetch")             \
    X(find_coordinator_handler, "FindCoordinator")     \
    X(join_group_handler, "JoinGroup")                 \
    X(heartbeat_handler, "Heartbeat")                  \
    X(leave_group_handler, "LeaveGroup")               \
    X(sync_group_handler, "SyncGroup")                 \
    X(describe_groups_handler, "DescribeGroups")       \
    X(list_groups_handler, "ListGroups")               \
    X(consumer_group_heartbeat_handler, "ConsumerGroupHeartbeat") \
    X(consumer_group_describe_handler, "ConsumerGroupDescribe") \
    X(api_versions_handler, "ApiVersions")             \
    X(create_topics_handler, "CreateTopics")           \
    X(delete_topics_handler, "DeleteTopics")           \
    X(elect_leaders_handler, "ElectLeaders")           \
    X(alter_partition_reassignments_handler, "AlterPartitionReassignments") \
    X(list_partition_reassignments_handler, "ListPartitionReassignments") \
    X(delete_groups_handler, "DeleteGroups")           \
    X(offset_delete_handler, "OffsetDelete")           \
    X(init_producer_id_handler, "InitProducerId")      \
    X(offset_for_leader_epoch_handler, "OffsetForLeaderEpoch") \
    X(describe_configs_handler, "DescribeConfigs")     \
    X(alter_configs_handler, "AlterConfigs")           \
    X(describe_log_dirs_handler, "DescribeLogDirs")    \
    X(create_partitions_handler, "CreatePartitions")   \
    X(incremental_alter_configs_handler, "IncrementalAlterConfigs") \
    X(describe_cluster_handler, "DescribeCluster")
