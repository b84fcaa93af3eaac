package dev.strata.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Classic-protocol membership with Java consumers: static members
 * (group.instance.id) restart without a rebalance and fence a second live
 * consumer's predecessor; a consumer that stops polling for longer than
 * max.poll.interval.ms loses its partitions and cannot commit for them.
 */
class ClassicMembershipTest {
    @RegisterExtension
    static final StrataBroker broker = new StrataBroker("group.initial.rebalance.delay.ms=0");

    static final int PARTITIONS = 4;

    @Test
    void aRestartedStaticMemberRejoinsWithoutARebalance() throws Exception {
        String topic = createTopic("static-restart");
        String group = "static-restart-group";
        AtomicInteger bCallbacks = new AtomicInteger();
        try (KafkaConsumer<byte[], byte[]> b = consumer(group, "static-b", null)) {
            b.subscribe(List.of(topic), counting(bCallbacks));
            Set<TopicPartition> aOwned;
            int generation;
            try (KafkaConsumer<byte[], byte[]> a = consumer(group, "static-a", null)) {
                a.subscribe(List.of(topic));
                pollUntil(() -> a.assignment().size() == 2 && b.assignment().size() == 2
                        && a.groupMetadata().generationId() == b.groupMetadata().generationId(), a, b);
                aOwned = Set.copyOf(a.assignment());
                generation = a.groupMetadata().generationId();
                // close() of a static member sends no LeaveGroup: its place waits for it.
            }
            int callbacksBefore = bCallbacks.get();
            try (KafkaConsumer<byte[], byte[]> again = consumer(group, "static-a", null)) {
                again.subscribe(List.of(topic));
                pollUntil(() -> !again.assignment().isEmpty(), again, b);
                assertEquals(aOwned, again.assignment(), "the restarted member gets its old partitions back");
                assertEquals(generation, again.groupMetadata().generationId(), "no new generation");
                // b keeps its partitions and generation over several heartbeats (3 s each).
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
                while (System.nanoTime() < until) {
                    b.poll(Duration.ofMillis(200));
                    again.poll(Duration.ofMillis(200));
                }
                assertEquals(callbacksBefore, bCallbacks.get(), "b saw no rebalance");
                assertEquals(generation, b.groupMetadata().generationId());
                assertEquals(2, b.assignment().size());
            }
        }
    }

    @Test
    void aSecondLiveConsumerWithTheSameInstanceIdFencesTheFirst() throws Exception {
        String topic = createTopic("static-fence");
        String group = "static-fence-group";
        try (KafkaConsumer<byte[], byte[]> first = consumer(group, "twin", null);
             KafkaConsumer<byte[], byte[]> second = consumer(group, "twin", null)) {
            first.subscribe(List.of(topic));
            pollUntil(() -> first.assignment().size() == PARTITIONS, first);
            second.subscribe(List.of(topic));
            pollUntil(() -> second.assignment().size() == PARTITIONS, second);
            // The newcomer took the instance id over; the first one's next
            // heartbeat gets FENCED_INSTANCE_ID, which poll() throws.
            FencedInstanceIdException fenced = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (fenced == null && System.nanoTime() < deadline) {
                try {
                    first.poll(Duration.ofMillis(200));
                } catch (FencedInstanceIdException e) {
                    fenced = e;
                }
                second.poll(Duration.ofMillis(50));
            }
            assertNotNull(fenced, "the first consumer is fenced");
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (TopicPartition tp : second.assignment()) offsets.put(tp, new OffsetAndMetadata(0));
            second.commitSync(offsets);  // the one that holds the instance id carries on
        }
    }

    @Test
    void aConsumerThatStopsPollingLosesItsPartitionsAndCannotCommit() throws Exception {
        String topic = createTopic("stalled");
        String group = "stalled-group";
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Records.producerProps(broker))) {
            for (int p = 0; p < PARTITIONS; p++)
                producer.send(new ProducerRecord<>(topic, p, null, ("r" + p).getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
        try (KafkaConsumer<byte[], byte[]> slow = consumer(group, null, "5000");
             KafkaConsumer<byte[], byte[]> steady = consumer(group, null, null)) {
            slow.subscribe(List.of(topic));
            steady.subscribe(List.of(topic));
            pollUntil(() -> slow.assignment().size() == 2 && steady.assignment().size() == 2, slow, steady);
            Set<TopicPartition> stalledOn = Set.copyOf(slow.assignment());

            // slow stops polling: past its max.poll.interval.ms it is out of
            // the group and steady takes everything over.
            pollUntil(() -> steady.assignment().size() == PARTITIONS, steady);

            Map<TopicPartition, OffsetAndMetadata> late = new HashMap<>();
            for (TopicPartition tp : stalledOn) late.put(tp, new OffsetAndMetadata(1));
            try {
                slow.commitSync(late);
                fail("a commit from a member that left the group must fail");
            } catch (CommitFailedException | RebalanceInProgressException expected) {
                // The Java client's answers for a member that is no longer in the generation.
            }
        }
        try (Admin admin = broker.admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertTrue(committed.isEmpty(), "nothing was committed: " + committed);
        }
    }

    static KafkaConsumer<byte[], byte[]> consumer(String group, String instanceId, String maxPollIntervalMs) {
        Properties p = new Properties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, "org.apache.kafka.clients.consumer.RangeAssignor");
        if (instanceId != null) p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        if (maxPollIntervalMs != null) p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, maxPollIntervalMs);
        return Records.consumer(broker, p);
    }

    static String createTopic(String name) throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(name, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        return name;
    }

    static ConsumerRebalanceListener counting(AtomicInteger calls) {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                calls.incrementAndGet();
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                calls.incrementAndGet();
            }
        };
    }

    /** Polls the consumers in turn until {@code done} holds; fails after 60 s. */
    @SafeVarargs
    static void pollUntil(BooleanSupplier done, KafkaConsumer<byte[], byte[]>... consumers) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                Set<Set<TopicPartition>> owned = new HashSet<>();
                for (KafkaConsumer<byte[], byte[]> c : consumers) owned.add(c.assignment());
                fail("not reached within 60 s; assignments " + owned);
            }
            for (KafkaConsumer<byte[], byte[]> c : consumers) c.poll(Duration.ofMillis(100));
        }
    }
}
