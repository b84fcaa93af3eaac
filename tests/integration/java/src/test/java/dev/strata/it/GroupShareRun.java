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
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Three members of one consumer group share a topic filled beforehand: they
 * join one second apart (each arrival moves partitions), consume and commit
 * after every poll, and the run ends once every record was consumed and the
 * assignment has settled at an even split. The group tests of both protocols
 * differ only in the member configuration and in what they check afterwards.
 */
final class GroupShareRun {
    static final int MEMBERS = 3;

    /** Commits after a poll; the classic protocol's cooperative members may refuse while rebalancing. */
    interface Committer {
        void commit(KafkaConsumer<byte[], byte[]> consumer);
    }

    /** Runs against the group while it is settled, before the members stop. */
    interface WhileSettled {
        void check() throws Exception;
    }

    /** What the members did: records seen (partition@offset), how many twice, and the settled ownership. */
    record Result(Set<String> seen, int duplicates, Map<String, Set<Integer>> settled, List<Throwable> errors) {}

    private GroupShareRun() {}

    /** Creates {@code topic} and writes {@code total} records round-robin over its partitions. */
    static void fillTopic(StrataBroker broker, String topic, int partitions, int total) throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Records.producerProps(broker))) {
            for (int i = 0; i < total; i++) {
                producer.send(new ProducerRecord<>(topic, i % partitions, null, ("v-" + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    static Result run(StrataBroker broker, String topic, int partitions, int total, Properties memberProps,
                      Committer committer, WhileSettled whileSettled) throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, Set<Integer>> owned = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        for (int c = 0; c < MEMBERS; c++) {
            String member = "member-" + c;
            Thread t = new Thread(() -> {
                try (KafkaConsumer<byte[], byte[]> consumer = Records.consumer(broker, memberProps)) {
                    consumer.subscribe(List.of(topic));
                    while (!stop.get()) {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            if (!seen.add(r.partition() + "@" + r.offset())) duplicates.incrementAndGet();
                        }
                        committer.commit(consumer);
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
            Thread.sleep(1_000);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (seen.size() < total && System.nanoTime() < deadline && errors.isEmpty()) Thread.sleep(100);
        // Snapshot the settled assignment before stopping: members closing hand their partitions on.
        int share = partitions / MEMBERS;
        Map<String, Set<Integer>> settled = Map.of();
        while (System.nanoTime() < deadline && errors.isEmpty()) {
            settled = Map.copyOf(owned);
            if (settled.size() == MEMBERS && settled.values().stream().allMatch(s -> s.size() == share)) break;
            Thread.sleep(100);
        }
        try {
            whileSettled.check();
        } finally {
            stop.set(true);
            for (Thread t : threads) t.join(30_000);
        }
        return new Result(seen, duplicates.get(), settled, List.copyOf(errors));
    }

    /** Every record consumed, every partition owned by exactly one member, each owning an equal share. */
    static void assertEvenlyShared(Result result, int partitions, int total, String label) {
        assertTrue(result.errors().isEmpty(), "consumer errors: " + result.errors());
        assertEquals(total, result.seen().size(), "every record is consumed");
        assertEquals(MEMBERS, result.settled().size());
        Set<Integer> union = ConcurrentHashMap.newKeySet();
        for (Set<Integer> s : result.settled().values()) {
            assertEquals(partitions / MEMBERS, s.size(), label + ": " + result.settled());
            union.addAll(s);
        }
        assertEquals(partitions, union.size(), "every partition has exactly one owner: " + result.settled());
    }

    /** The group's committed offsets cover the whole topic: one per partition, summing to {@code total}. */
    static void assertCommittedEverything(Admin admin, String group, int partitions, int total) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        assertEquals(partitions, committed.size(), "committed: " + committed);
        assertEquals(total, committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum(),
                "committed: " + committed);
    }
}
