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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * KIP-848: Java consumers with group.protocol=consumer share a topic; the
 * broker assigns partitions (uniform assignor) and moves them between members
 * with revocation before reassignment.
 */
class ConsumerProtocolGroupTest {
    @RegisterExtension
    static final StrataBroker broker = new StrataBroker("group.consumer.heartbeat.interval.ms=500");

    @Test
    void threeConsumersShareTwelvePartitionsAndConsumeEveryRecordOnce() throws Exception {
        String topic = "kip848";
        int partitions = 12;
        int total = 24_000;
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
        AtomicInteger duplicates = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, Set<Integer>> owned = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            String name = "member-" + c;
            Thread t = new Thread(() -> {
                Properties extra = new Properties();
                extra.put(ConsumerConfig.GROUP_ID_CONFIG, "kip848-group");
                extra.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
                extra.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
                extra.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
                try (KafkaConsumer<byte[], byte[]> consumer = Records.consumer(broker, extra)) {
                    consumer.subscribe(List.of(topic));
                    while (!stop.get()) {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            if (!seen.add(r.partition() + "@" + r.offset())) duplicates.incrementAndGet();
                        }
                        consumer.commitSync();
                        Set<Integer> mine = ConcurrentHashMap.newKeySet();
                        for (TopicPartition tp : consumer.assignment()) mine.add(tp.partition());
                        owned.put(name, mine);
                    }
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            });
            threads.add(t);
            t.start();
            Thread.sleep(1_000); // members arrive one after another: each arrival moves partitions
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (seen.size() < total && System.nanoTime() < deadline && errors.isEmpty()) Thread.sleep(100);
        // Let the assignment settle: three members, 4 partitions each, none shared.
        // Snapshot it before stopping: members closing hand their partitions on.
        Map<String, Set<Integer>> settled = Map.of();
        while (System.nanoTime() < deadline && errors.isEmpty()) {
            settled = Map.copyOf(owned);
            if (settled.size() == 3 && settled.values().stream().allMatch(s -> s.size() == 4)) break;
            Thread.sleep(100);
        }
        stop.set(true);
        for (Thread t : threads) t.join(30_000);

        assertTrue(errors.isEmpty(), "consumer errors: " + errors);
        assertEquals(total, seen.size(), "every record is consumed");
        assertEquals(0, duplicates.get(), "members committing after every batch consume nothing twice");
        assertEquals(3, settled.size());
        Set<Integer> union = ConcurrentHashMap.newKeySet();
        for (Set<Integer> s : settled.values()) {
            assertEquals(4, s.size(), "uniform assignment: " + settled);
            union.addAll(s);
        }
        assertEquals(partitions, union.size(), "every partition has exactly one owner: " + settled);

        // The committed offsets cover the whole topic.
        try (Admin admin = broker.admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets("kip848-group").partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertEquals(partitions, committed.size(), "committed: " + committed);
            long sum = committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
            assertEquals(total, sum, "committed: " + committed);
        }
    }
}
