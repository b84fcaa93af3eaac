package dev.strata.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnreleasedInstanceIdException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * KIP-848 static membership with the Java client (group.protocol=consumer,
 * group.instance.id): a static member that closes leaves temporarily (epoch
 * -2), so its successor with the same instance id gets the same partitions
 * and the other members see no rebalance; an instance id still held by a
 * member is refused with UNRELEASED_INSTANCE_ID, as Kafka does.
 */
class ConsumerProtocolStaticMemberTest {
    @RegisterExtension
    static final StrataBroker broker = new StrataBroker("group.consumer.heartbeat.interval.ms=500");

    /**
     * What a member's rebalance listener was told, non-empty changes only,
     * and the partitions it was told it owns. The consumer-protocol client
     * updates assignment() before the listener runs (in a later poll), so a
     * test waits for both to agree before it counts callbacks.
     */
    static final class Changes implements ConsumerRebalanceListener {
        final List<Collection<TopicPartition>> revoked = new ArrayList<>();
        final List<Collection<TopicPartition>> assigned = new ArrayList<>();
        final Set<TopicPartition> owned = new HashSet<>();

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) revoked.add(List.copyOf(partitions));
            owned.removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) assigned.add(List.copyOf(partitions));
            owned.addAll(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            owned.removeAll(partitions);
        }
    }

    @Test
    void aRestartedStaticMemberGetsItsPartitionsBackWithoutARebalance() throws Exception {
        String topic = "static-848";
        String group = "static-848-group";
        createTopic(topic, 6);
        Changes dynamicChanges = new Changes();
        try (KafkaConsumer<byte[], byte[]> dynamic = consumer(group, null);
             Admin admin = broker.admin()) {
            dynamic.subscribe(List.of(topic), dynamicChanges);
            Set<TopicPartition> staticShare;
            try (KafkaConsumer<byte[], byte[]> first = consumer(group, "instance-1")) {
                first.subscribe(List.of(topic));
                pollUntil(() -> first.assignment().size() == 3 && dynamic.assignment().size() == 3
                        && dynamicChanges.owned.equals(dynamic.assignment()), first, dynamic);
                staticShare = Set.copyOf(first.assignment());
            }  // close(): a leave with epoch -2
            Set<TopicPartition> dynamicShare = Set.copyOf(dynamic.assignment());
            int revocations = dynamicChanges.revoked.size();
            int assignments = dynamicChanges.assigned.size();

            // While the static member is away nobody takes its partitions.
            pollFor(Duration.ofSeconds(3), dynamic);
            assertEquals(dynamicShare, dynamic.assignment());

            try (KafkaConsumer<byte[], byte[]> second = consumer(group, "instance-1")) {
                second.subscribe(List.of(topic));
                pollUntil(() -> !second.assignment().isEmpty(), second, dynamic);
                assertEquals(staticShare, second.assignment(), "the successor has the same partitions");
                pollFor(Duration.ofSeconds(2), second, dynamic);
                assertEquals(dynamicShare, dynamic.assignment());
                assertEquals(revocations, dynamicChanges.revoked.size(), "no revocation for the other member");
                assertEquals(assignments, dynamicChanges.assigned.size(), "no new assignment for the other member");
                ConsumerGroupDescription d =
                        admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(30, TimeUnit.SECONDS);
                assertEquals(2, d.members().size(), d.toString());
                assertEquals(GroupState.STABLE, d.groupState(), d.toString());
            }
        }
    }

    @Test
    void anInstanceIdStillInUseIsRefused() throws Exception {
        String topic = "static-848-dup";
        String group = "static-848-dup-group";
        createTopic(topic, 2);
        try (KafkaConsumer<byte[], byte[]> holder = consumer(group, "taken");
             KafkaConsumer<byte[], byte[]> intruder = consumer(group, "taken")) {
            holder.subscribe(List.of(topic));
            pollUntil(() -> holder.assignment().size() == 2, holder);
            intruder.subscribe(List.of(topic));
            UnreleasedInstanceIdException error = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (error == null && System.nanoTime() < deadline) {
                holder.poll(Duration.ofMillis(100));
                try {
                    intruder.poll(Duration.ofMillis(100));
                } catch (UnreleasedInstanceIdException e) {
                    error = e;
                }
            }
            assertNotNull(error, "poll throws UnreleasedInstanceIdException (UNRELEASED_INSTANCE_ID, code 111)");
            assertEquals(2, holder.assignment().size(), "the holder keeps its partitions");
        }
    }

    interface Condition {
        boolean holds();
    }

    @SafeVarargs
    static void pollUntil(Condition done, KafkaConsumer<byte[], byte[]>... consumers) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.holds() && System.nanoTime() < deadline)
            for (KafkaConsumer<byte[], byte[]> c : consumers) c.poll(Duration.ofMillis(100));
        assertTrue(done.holds(), "assignments did not settle within 60 s");
    }

    @SafeVarargs
    static void pollFor(Duration duration, KafkaConsumer<byte[], byte[]>... consumers) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end)
            for (KafkaConsumer<byte[], byte[]> c : consumers) c.poll(Duration.ofMillis(100));
    }

    static KafkaConsumer<byte[], byte[]> consumer(String group, String instanceId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        if (instanceId != null) p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        return Records.consumer(broker, p);
    }

    static void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }
}
