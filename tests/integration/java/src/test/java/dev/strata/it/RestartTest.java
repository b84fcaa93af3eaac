package dev.strata.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A clean restart (SIGTERM, same data directory) keeps topics, configs, records and idempotent producer state. */
class RestartTest {
    @RegisterExtension
    static final StrataBroker broker = new StrataBroker();

    static List<Future<RecordMetadata>> send(KafkaProducer<byte[], byte[]> producer,
                                             List<ProducerRecord<byte[], byte[]>> records) {
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : records) futures.add(producer.send(r));
        producer.flush();
        return futures;
    }

    @Test
    void idempotentProducerContinuesAcrossARestart() throws Exception {
        String topic = "restart";
        Uuid id;
        try (Admin admin = broker.admin()) {
            id = admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1).configs(Map.of("retention.ms", "3600000"))))
                    .topicId(topic).get(30, TimeUnit.SECONDS);
        }
        List<List<ProducerRecord<byte[], byte[]>>> expected = List.of(new ArrayList<>(), new ArrayList<>());
        List<ProducerRecord<byte[], byte[]>> before = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> after = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            int p = i % 2;
            RecordHeaders headers = new RecordHeaders();
            headers.add("i", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
            ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, p, 1_690_000_000_000L + i,
                    ("k" + i).getBytes(StandardCharsets.UTF_8), ("v" + i).getBytes(StandardCharsets.UTF_8), headers);
            expected.get(p).add(r);
            (i < 1_000 ? before : after).add(r);
        }

        // One producer (one producer id) on both sides of the restart: the broker must
        // recover its sequence numbers from disk, or the second half fails with
        // OutOfOrderSequenceException / UnknownProducerIdException.
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Records.producerProps(broker))) {
            for (Future<RecordMetadata> f : send(producer, before)) f.get(30, TimeUnit.SECONDS);
            broker.restart();
            List<Future<RecordMetadata>> futures = send(producer, after);
            for (int i = 0; i < futures.size(); i++) {
                RecordMetadata md = futures.get(i).get(60, TimeUnit.SECONDS);
                assertEquals(500 + i / 2, md.offset(), "offset of record " + (1_000 + i));
            }
        }

        Records.assertSameRecords(expected.get(0), Records.readAll(broker, topic, List.of(0, 1), 2_000).get(0));
        Records.assertSameRecords(expected.get(1), Records.readAll(broker, topic, List.of(0, 1), 2_000).get(1));

        try (Admin admin = broker.admin()) {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
            assertEquals(id, d.topicId());
            assertEquals(2, d.partitions().size());
            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config c = admin.describeConfigs(List.of(res)).all().get(30, TimeUnit.SECONDS).get(res);
            assertEquals("3600000", c.get("retention.ms").value());
        }
    }
}
