package dev.strata.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Producer (default settings: acks=all, idempotent) and assign()-ing consumer, compared record by record. */
class ProduceConsumeTest {
    @RegisterExtension
    static final StrataBroker broker = new StrataBroker();

    static void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Records with a mix of keys, null keys, null values, empty values, values of
     * 0..2000 bytes, 0..3 headers (including null header values and repeated
     * keys) and explicit timestamps (not monotonic within a partition).
     */
    static Map<Integer, List<ProducerRecord<byte[], byte[]>>> makeRecords(String topic, int partitions, int count, long seed) {
        Random rnd = new Random(seed);
        long base = 1_700_000_000_000L;
        Map<Integer, List<ProducerRecord<byte[], byte[]>>> byPartition = new HashMap<>();
        for (int i = 0; i < count; i++) {
            int partition = i % partitions;
            byte[] key = i % 11 == 0 ? null : ("key-" + i).getBytes(StandardCharsets.UTF_8);
            byte[] value;
            if (i % 7 == 0) {
                value = null;
            } else if (i % 13 == 0) {
                value = new byte[0];
            } else {
                value = new byte[rnd.nextInt(2000)];
                rnd.nextBytes(value);
            }
            RecordHeaders headers = new RecordHeaders();
            int nh = i % 4;
            for (int h = 0; h < nh; h++) {
                byte[] hv = h == 2 ? null : ("h" + h + "-" + i).getBytes(StandardCharsets.UTF_8);
                headers.add(h == 1 ? "dup" : "hdr-" + h, hv);
            }
            if (nh == 3) headers.add("dup", "second".getBytes(StandardCharsets.UTF_8));
            long ts = base + i * 3L - (i % 5 == 0 ? 1_000 : 0);
            byPartition.computeIfAbsent(partition, k -> new ArrayList<>())
                    .add(new ProducerRecord<>(topic, partition, ts, key, value, headers));
        }
        return byPartition;
    }

    @Test
    void idempotentProducerWithDefaultsRoundTrips20000Records() throws Exception {
        String topic = "roundtrip";
        int partitions = 4;
        int count = 20_000;
        createTopic(topic, partitions);
        Map<Integer, List<ProducerRecord<byte[], byte[]>>> sent = makeRecords(topic, partitions, count, 42);

        Properties props = Records.producerProps(broker);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            // Interleave partitions the way an application would.
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            List<ProducerRecord<byte[], byte[]>> order = new ArrayList<>();
            for (int i = 0; i < count / partitions; i++) {
                for (int p = 0; p < partitions; p++) {
                    ProducerRecord<byte[], byte[]> r = sent.get(p).get(i);
                    order.add(r);
                    futures.add(producer.send(r));
                }
            }
            producer.flush();
            Map<Integer, Long> nextOffset = new HashMap<>();
            for (int i = 0; i < futures.size(); i++) {
                RecordMetadata md = futures.get(i).get(30, TimeUnit.SECONDS);
                ProducerRecord<byte[], byte[]> r = order.get(i);
                assertEquals(r.partition().intValue(), md.partition());
                long expectedOffset = nextOffset.merge(md.partition(), 1L, Long::sum) - 1;
                assertEquals(expectedOffset, md.offset(), "offset of send " + i);
                assertEquals(r.timestamp().longValue(), md.timestamp(), "timestamp of send " + i);
            }
        }

        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> got =
                Records.readAll(broker, topic, IntStream.range(0, partitions).boxed().toList(), count);
        for (int p = 0; p < partitions; p++) {
            Records.assertSameRecords(sent.get(p), got.get(p));
        }

        try (KafkaConsumer<byte[], byte[]> consumer = Records.consumer(broker)) {
            List<TopicPartition> tps = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps);
            for (TopicPartition tp : tps) {
                assertEquals((long) count / partitions, end.get(tp), "end offset of " + tp);
                assertEquals(0L, begin.get(tp), "beginning offset of " + tp);
            }
        }
    }

    @ParameterizedTest(name = "compression.type={0}")
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void compressedBatchesRoundTrip(String codec) throws Exception {
        String topic = "codec-" + codec;
        int partitions = 2;
        int count = 3_000;
        createTopic(topic, partitions);
        Map<Integer, List<ProducerRecord<byte[], byte[]>>> sent = new HashMap<>();
        for (int i = 0; i < count; i++) {
            int p = i % partitions;
            // Compressible text of varying length, some null values and headers.
            byte[] value = i % 17 == 0 ? null
                    : ("value " + i + " " + "abcdefgh".repeat(i % 50)).getBytes(StandardCharsets.UTF_8);
            RecordHeaders headers = new RecordHeaders();
            if (i % 3 == 0) headers.add("codec", codec.getBytes(StandardCharsets.UTF_8));
            sent.computeIfAbsent(p, k -> new ArrayList<>()).add(new ProducerRecord<>(topic, p,
                    1_600_000_000_000L + i, ("k" + i).getBytes(StandardCharsets.UTF_8), value, headers));
        }
        Properties props = Records.producerProps(broker);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            for (int i = 0; i < count / partitions; i++) {
                for (int p = 0; p < partitions; p++) futures.add(producer.send(sent.get(p).get(i)));
            }
            producer.flush();
            for (Future<RecordMetadata> f : futures) f.get(30, TimeUnit.SECONDS);
        }
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> got =
                Records.readAll(broker, topic, List.of(0, 1), count);
        for (int p = 0; p < partitions; p++) {
            Records.assertSameRecords(sent.get(p), got.get(p));
        }
    }

    @Test
    void largeRecordsNearTheDefaultLimit() throws Exception {
        // Three ~900 KB records: each fills a batch of its own, under message.max.bytes.
        String topic = "large";
        createTopic(topic, 1);
        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        Random rnd = new Random(7);
        for (int i = 0; i < 3; i++) {
            byte[] value = new byte[900 * 1024];
            rnd.nextBytes(value);
            sent.add(new ProducerRecord<>(topic, 0, 1_650_000_000_000L + i, null, value));
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Records.producerProps(broker))) {
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> r : sent) futures.add(producer.send(r));
            producer.flush();
            for (int i = 0; i < futures.size(); i++) assertEquals(i, futures.get(i).get(30, TimeUnit.SECONDS).offset());
        }
        Records.assertSameRecords(sent, Records.readAll(broker, topic, List.of(0), 3).get(0));

        // KIP-74: a fetch limit below one record still returns the whole first batch.
        Properties small = new Properties();
        small.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1024);
        small.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 1024);
        Records.assertSameRecords(sent, Records.readAll(broker, topic, List.of(0), 3, small).get(0));
    }
}
