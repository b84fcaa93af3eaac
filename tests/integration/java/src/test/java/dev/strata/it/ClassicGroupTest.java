package dev.strata.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
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
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Records.producerProps(broker))) {
            for (int i = 0; i < total; i++) {
                producer.send(new ProducerRecord<>(topic, i % partitions, null, ("v-" + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }

        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, Set<Integer>> owned = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            String member = "member-" + c;
            Thread t = new Thread(() -> {
                Properties extra = new Properties();
                extra.put(ConsumerConfig.GROUP_ID_CONFIG, group);
                extra.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
                extra.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignor);
                extra.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
                extra.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
                extra.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500");
                try (KafkaConsumer<byte[], byte[]> consumer = Records.consumer(broker, extra)) {
                    consumer.subscribe(List.of(topic));
                    while (!stop.get()) {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            seen.add(r.partition() + "@" + r.offset());
                        }
                        try {
                            consumer.commitSync();
                        } catch (RebalanceInProgressException e) {
                            // Cooperative members keep consuming during a rebalance; the
                            // client refuses to commit until poll() completes it (as with Kafka).
                        }
                        Set<Integer> mine = ConcurrentHashMap.newKeySet();
                        for (TopicPartition tp : consumer.assignment()) mine.add(tp.partition());
                        owned.put(member, mine);
                    }
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            });
            threads.add(t);
            t.start();
            Thread.sleep(1_000); // members arrive one after another: each arrival rebalances
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (seen.size() < total && System.nanoTime() < deadline && errors.isEmpty()) Thread.sleep(100);
        Map<String, Set<Integer>> settled = Map.of();
        while (System.nanoTime() < deadline && errors.isEmpty()) {
            settled = Map.copyOf(owned);
            if (settled.size() == 3 && settled.values().stream().allMatch(s -> s.size() == 4)) break;
            Thread.sleep(100);
        }
        try (Admin admin = broker.admin()) {
            ConsumerGroupDescription d =
                    admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(30, TimeUnit.SECONDS);
            assertEquals(GroupState.STABLE, d.groupState());
            assertEquals(3, d.members().size(), "members: " + d.members());
        }
        stop.set(true);
        for (Thread t : threads) t.join(30_000);

        assertTrue(errors.isEmpty(), "consumer errors: " + errors);
        assertEquals(total, seen.size(), "every record is consumed");
        assertEquals(3, settled.size());
        Set<Integer> union = ConcurrentHashMap.newKeySet();
        for (Set<Integer> s : settled.values()) {
            assertEquals(4, s.size(), assignor + ": " + settled);
            union.addAll(s);
        }
        assertEquals(partitions, union.size(), "every partition has exactly one owner: " + settled);

        try (Admin admin = broker.admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertEquals(partitions, committed.size(), "committed: " + committed);
            assertEquals(total, committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum());
            ConsumerGroupDescription d =
                    admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(30, TimeUnit.SECONDS);
            assertEquals(GroupState.EMPTY, d.groupState(), "every member left");
        }
    }
}
