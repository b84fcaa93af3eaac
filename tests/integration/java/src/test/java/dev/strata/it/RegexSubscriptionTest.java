package dev.strata.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.InvalidRegularExpression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * KIP-848 server-side regex subscriptions: a group.protocol=consumer member
 * subscribes with {@code subscribe(SubscriptionPattern)}, which sends the regex
 * to the broker (SubscribedTopicRegex); the broker resolves it, including topics
 * created later, and answers an invalid one with INVALID_REGULAR_EXPRESSION.
 * Regexes are RE2's, as in Kafka: linear-time matching and the same syntax.
 */
class RegexSubscriptionTest {
    @RegisterExtension
    static final StrataBroker broker = new StrataBroker("group.consumer.heartbeat.interval.ms=500");

    @Test
    void theBrokerResolvesTheRegexIncludingTopicsCreatedLater() throws Exception {
        createTopic("regex-a", 2);
        createTopic("regex-b", 1);
        createTopic("unrelated", 1);
        produce("regex-a", 0, "a0");
        produce("regex-a", 1, "a1");
        produce("regex-b", 0, "b0");
        produce("unrelated", 0, "u0");

        try (KafkaConsumer<byte[], byte[]> consumer = consumer("regex-group")) {
            consumer.subscribe(new SubscriptionPattern("regex-.*"));
            Set<String> seen = new HashSet<>();
            pollUntil(consumer, seen, Set.of("a0", "a1", "b0"));
            assertEquals(Set.of(new TopicPartition("regex-a", 0), new TopicPartition("regex-a", 1),
                    new TopicPartition("regex-b", 0)), consumer.assignment());

            // A topic that matches, created after the subscription, joins it.
            createTopic("regex-c", 1);
            produce("regex-c", 0, "c0");
            pollUntil(consumer, seen, Set.of("a0", "a1", "b0", "c0"));
            assertTrue(consumer.assignment().contains(new TopicPartition("regex-c", 0)), consumer.assignment().toString());
            assertEquals(Set.of("a0", "a1", "b0", "c0"), seen, "nothing from topics the regex does not match");
        }
    }

    @Test
    void anInvalidRegexIsRejectedWithKafkasError() throws Exception {
        // A syntax error, and what RE2 (Kafka's regex engine) does not have:
        // backreferences and lookahead.
        int n = 0;
        for (String pattern : List.of("regex-[unclosed", "(regex)-\\1", "regex-(?=a).*")) {
            try (KafkaConsumer<byte[], byte[]> consumer = consumer("bad-regex-group-" + n++)) {
                consumer.subscribe(new SubscriptionPattern(pattern));
                InvalidRegularExpression error = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (error == null && System.nanoTime() < deadline) {
                    try {
                        consumer.poll(Duration.ofMillis(200));
                    } catch (InvalidRegularExpression e) {
                        error = e;
                    }
                }
                assertNotNull(error, pattern + ": poll throws InvalidRegularExpression (INVALID_REGULAR_EXPRESSION, code 128)");
                assertTrue(error.getMessage().contains(pattern), error.getMessage());
            }
        }
    }

    @Test
    void aPathologicalRegexIsMatchedInLinearTimeAndTheBrokerServesOn() throws Exception {
        // A backtracking matcher takes exponential time matching (a|aa)*c
        // against a long run of a's: the broker thread would not come back.
        createTopic("a".repeat(120), 1);
        String group = "pathological-group";
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(group);
             Admin admin = broker.admin()) {
            consumer.subscribe(new SubscriptionPattern("(a|aa)*c"));
            ConsumerGroupDescription d = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200));
                // The group exists only once the member's first heartbeat has
                // reached the coordinator; until then Kafka, like Strata,
                // answers GROUP_ID_NOT_FOUND.
                try {
                    d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof GroupIdNotFoundException)) throw e;
                    continue;
                }
                if (d.members().size() == 1) break;
            }
            assertNotNull(d);
            assertEquals(1, d.members().size(), "the member joined: " + d);
            assertTrue(d.members().iterator().next().assignment().topicPartitions().isEmpty(), d.toString());
            assertTrue(consumer.assignment().isEmpty(), consumer.assignment().toString());
        }
        // Everyone else is still served.
        createTopic("served-after-pathological", 1);
        produce("served-after-pathological", 0, "still-served");
    }

    /** Polls until every value in {@code wanted} was consumed (60 s at most). */
    static void pollUntil(KafkaConsumer<byte[], byte[]> consumer, Set<String> seen, Set<String> wanted) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!seen.containsAll(wanted) && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200)))
                seen.add(new String(r.value(), StandardCharsets.UTF_8));
        }
        assertTrue(seen.containsAll(wanted), "consumed " + seen + ", wanted " + wanted
                + ", assignment " + consumer.assignment());
    }

    static KafkaConsumer<byte[], byte[]> consumer(String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
        return Records.consumer(broker, p);
    }

    static void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    static void produce(String topic, int partition, String value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Records.producerProps(broker))) {
            producer.send(new ProducerRecord<>(topic, partition, null, value.getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
        }
    }
}
