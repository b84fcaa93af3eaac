package dev.strata.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The classic group protocol (JoinGroup/SyncGroup/Heartbeat/LeaveGroup):
 * three Java consumers share a 12-partition topic with each of the client's
 * assignors; the leader assigns, the coordinator hands the assignment out.
 */
class ClassicGroupTest {
    @RegisterExtension
    static final StrataBroker broker = new StrataBroker("group.initial.rebalance.delay.ms=0");

    @Test
    void rangeAssignor() throws Exception {
        shareTwelvePartitions("range", "org.apache.kafka.clients.consumer.RangeAssignor");
    }

    @Test
    void roundRobinAssignor() throws Exception {
        shareTwelvePartitions("roundrobin", "org.apache.kafka.clients.consumer.RoundRobinAssignor");
    }

    @Test
    void cooperativeStickyAssignor() throws Exception {
        shareTwelvePartitions("cooperative", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    }

    private void shareTwelvePartitions(String name, String assignor) throws Exception {
        String topic = "classic-" + name;
        String group = "classic-group-" + name;
        int partitions = 12;
        int total = 12_000;
        GroupShareRun.fillTopic(broker, topic, partitions, total);

        Properties members = new Properties();
        members.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        members.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        members.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignor);
        members.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        members.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
        members.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500");
        GroupShareRun.Result result = GroupShareRun.run(broker, topic, partitions, total, members, consumer -> {
            try {
                consumer.commitSync();
            } catch (RebalanceInProgressException e) {
                // Cooperative members keep consuming during a rebalance; the
                // client refuses to commit until poll() completes it (as with Kafka).
            }
        }, () -> {
            try (Admin admin = broker.admin()) {
                ConsumerGroupDescription d =
                        admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(30, TimeUnit.SECONDS);
                assertEquals(GroupState.STABLE, d.groupState());
                assertEquals(GroupShareRun.MEMBERS, d.members().size(), "members: " + d.members());
            }
        });

        GroupShareRun.assertEvenlyShared(result, partitions, total, assignor);
        try (Admin admin = broker.admin()) {
            GroupShareRun.assertCommittedEverything(admin, group, partitions, total);
            ConsumerGroupDescription d =
                    admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(30, TimeUnit.SECONDS);
            assertEquals(GroupState.EMPTY, d.groupState(), "every member left");
        }
    }
}
