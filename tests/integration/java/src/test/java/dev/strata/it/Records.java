package dev.strata.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Helpers shared by the produce/consume tests: byte[] clients and exact record comparison. */
final class Records {
    private Records() {}

    static Properties producerProps(StrataBroker broker) {
        Properties p = broker.clientProps();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /** A consumer without group.id: partitions are assign()ed and positions seek()ed. */
    static KafkaConsumer<byte[], byte[]> consumer(StrataBroker broker) {
        return consumer(broker, new Properties());
    }

    static KafkaConsumer<byte[], byte[]> consumer(StrataBroker broker, Properties extra) {
        Properties p = broker.clientProps();
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        p.putAll(extra);
        return new KafkaConsumer<>(p);
    }

    /** Reads every partition from the beginning until {@code expected} records arrived (or 60 s passed). */
    static Map<Integer, List<ConsumerRecord<byte[], byte[]>>> readAll(
            StrataBroker broker, String topic, Collection<Integer> partitions, int expected) {
        return readAll(broker, topic, partitions, expected, new Properties());
    }

    static Map<Integer, List<ConsumerRecord<byte[], byte[]>>> readAll(
            StrataBroker broker, String topic, Collection<Integer> partitions, int expected, Properties extra) {
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> got = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(broker, extra)) {
            List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            int count = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (count < expected && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    got.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(r);
                    count++;
                }
            }
            assertEquals(expected, count, "records read back from " + topic);
            // Nothing beyond what was produced.
            ConsumerRecords<byte[], byte[]> more = consumer.poll(Duration.ofMillis(300));
            assertEquals(0, more.count(), "unexpected extra records");
        }
        return got;
    }

    /** Asserts {@code actual} is exactly {@code expected}, in order, at offsets 0..n-1. */
    static void assertSameRecords(List<ProducerRecord<byte[], byte[]>> expected,
                                  List<ConsumerRecord<byte[], byte[]>> actual) {
        assertEquals(expected.size(), actual.size(), "record count");
        for (int i = 0; i < expected.size(); i++) {
            ProducerRecord<byte[], byte[]> e = expected.get(i);
            ConsumerRecord<byte[], byte[]> a = actual.get(i);
            String where = "record " + i + " of partition " + a.partition();
            assertEquals(i, a.offset(), where + ": offset");
            assertArrayEquals(e.key(), a.key(), where + ": key");
            assertArrayEquals(e.value(), a.value(), where + ": value");
            assertEquals(e.timestamp().longValue(), a.timestamp(), where + ": timestamp");
            assertEquals(TimestampType.CREATE_TIME, a.timestampType(), where + ": timestamp type");
            Header[] eh = e.headers().toArray();
            Header[] ah = a.headers().toArray();
            assertEquals(eh.length, ah.length, where + ": header count");
            for (int h = 0; h < eh.length; h++) {
                assertEquals(eh[h].key(), ah[h].key(), where + ": header " + h + " key");
                assertArrayEquals(eh[h].value(), ah[h].value(), where + ": header " + h + " value");
            }
        }
    }
}
