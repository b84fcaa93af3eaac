package dev.strata.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ListOffsets through the consumer (offsetsForTimes, beginning/end offsets) and the AdminClient. */
class OffsetsTest {
    @RegisterExtension
    static final StrataBroker broker = new StrataBroker();

    static final String TOPIC = "times";
    static final long T0 = 1_700_000_000_000L;
    static final int COUNT = 100;
    static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    /** Offset i has timestamp T0 + 1000 * i, except offset 50 which carries the maximum, T0 + 10^6. */
    static long timestampOf(int i) {
        return i == 50 ? T0 + 1_000_000 : T0 + 1000L * i;
    }

    @BeforeAll
    static void produce() throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Records.producerProps(broker))) {
            // The first 30 records one batch each, the rest in batches of up to ten.
            List<Future<RecordMetadata>> pending = new ArrayList<>();
            for (int i = 0; i < COUNT; i++) {
                Future<RecordMetadata> f = producer.send(new ProducerRecord<>(TOPIC, 0, timestampOf(i), null,
                        ("v" + i).getBytes(StandardCharsets.UTF_8)));
                if (i < 30) f.get(30, TimeUnit.SECONDS);
                else pending.add(f);
                if (i % 10 == 9) producer.flush();
            }
            for (Future<RecordMetadata> f : pending) f.get(30, TimeUnit.SECONDS);
        }
    }

    /** Every batch here was written by leader epoch 0, so every lookup reports epoch 0. */
    static OffsetAndTimestamp at(long offset, long timestamp) {
        return new OffsetAndTimestamp(offset, timestamp, Optional.of(0));
    }

    @Test
    void offsetsForTimes() {
        try (KafkaConsumer<byte[], byte[]> consumer = Records.consumer(broker)) {
            Map<TopicPartition, Long> query = new HashMap<>();
            query.put(P0, T0 + 5_500);
            Map<TopicPartition, OffsetAndTimestamp> r = consumer.offsetsForTimes(query);
            assertEquals(at(6, T0 + 6_000), r.get(P0));

            assertEquals(at(0, T0), consumer.offsetsForTimes(Map.of(P0, 0L)).get(P0));
            assertEquals(at(0, T0), consumer.offsetsForTimes(Map.of(P0, T0)).get(P0));
            // 49 is the last record of the batch 40..49: the answer is the record, not the batch start.
            assertEquals(at(49, T0 + 49_000),
                    consumer.offsetsForTimes(Map.of(P0, T0 + 49_000)).get(P0));
            assertEquals(at(45, T0 + 45_000),
                    consumer.offsetsForTimes(Map.of(P0, T0 + 44_500)).get(P0));
            // After 49 the next timestamp >= T0+49001 is the maximum at offset 50.
            assertEquals(at(50, T0 + 1_000_000),
                    consumer.offsetsForTimes(Map.of(P0, T0 + 49_001)).get(P0));
            assertEquals(at(50, T0 + 1_000_000),
                    consumer.offsetsForTimes(Map.of(P0, T0 + 1_000_000)).get(P0));
            // Past the largest timestamp: no offset.
            Map<TopicPartition, OffsetAndTimestamp> none = consumer.offsetsForTimes(Map.of(P0, T0 + 1_000_001, P1, T0));
            assertNull(none.get(P0));
            assertEquals(2, none.size());
            assertNull(none.get(P1), "empty partition has no offset for any timestamp");

            assertEquals(Map.of(P0, 0L, P1, 0L), consumer.beginningOffsets(List.of(P0, P1)));
            assertEquals(Map.of(P0, (long) COUNT, P1, 0L), consumer.endOffsets(List.of(P0, P1)));
        }
    }

    @Test
    void adminListOffsets() throws Exception {
        try (Admin admin = broker.admin()) {
            ListOffsetsResultInfo earliest = admin.listOffsets(Map.of(P0, OffsetSpec.earliest()))
                    .partitionResult(P0).get(30, TimeUnit.SECONDS);
            assertEquals(0, earliest.offset());
            ListOffsetsResultInfo latest = admin.listOffsets(Map.of(P0, OffsetSpec.latest()))
                    .partitionResult(P0).get(30, TimeUnit.SECONDS);
            assertEquals(COUNT, latest.offset());
            ListOffsetsResultInfo byTime = admin.listOffsets(Map.of(P0, OffsetSpec.forTimestamp(T0 + 20_000)))
                    .partitionResult(P0).get(30, TimeUnit.SECONDS);
            assertEquals(20, byTime.offset());
            assertEquals(T0 + 20_000, byTime.timestamp());
            ListOffsetsResultInfo emptyLatest = admin.listOffsets(Map.of(P1, OffsetSpec.latest()))
                    .partitionResult(P1).get(30, TimeUnit.SECONDS);
            assertEquals(0, emptyLatest.offset());
        }
    }

    /**
     * ListOffsets v7+ with timestamp -3 (KIP-734): the offset of the record with
     * the largest timestamp. Offset 50 holds it, in a batch that spans 50..59;
     * Kafka (since KAFKA-16310) answers with the record's offset, not the batch's last.
     */
    @Test
    void adminListOffsetsMaxTimestamp() throws Exception {
        try (Admin admin = broker.admin()) {
            ListOffsetsResultInfo max = admin.listOffsets(Map.of(P0, OffsetSpec.maxTimestamp()))
                    .partitionResult(P0).get(30, TimeUnit.SECONDS);
            assertEquals(T0 + 1_000_000, max.timestamp());
            assertEquals(50, max.offset());
        }
    }
}
