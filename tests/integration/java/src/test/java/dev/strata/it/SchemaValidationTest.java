package dev.strata.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Produce-time schema validation seen by the Java client: dead-lettered records
 * leave offset gaps the consumer reads across, and a rejected batch reports
 * the failing record's own error (KIP-467's per-record errors).
 */
class SchemaValidationTest {
    @RegisterExtension
    static final StrataBroker broker = new StrataBroker();

    static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}},"
            + "\"required\":[\"n\"],\"additionalProperties\":false}";

    static int register(String subject) throws Exception {
        String body = "{\"schemaType\":\"JSON\",\"schema\":" + quote(SCHEMA) + "}";
        HttpRequest req = HttpRequest.newBuilder(URI.create(broker.registryUrl() + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> resp = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, resp.statusCode(), resp.body());
        Matcher m = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(resp.body());
        assertTrue(m.find(), resp.body());
        return Integer.parseInt(m.group(1));
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static byte[] framed(int id, String json) {
        byte[] data = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(5 + data.length).put((byte) 0).putInt(id).put(data).array();
    }

    static void createTopic(String name, Map<String, String> configs) throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1).configs(configs))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void deadLetteredRecordsLeaveGapsTheConsumerReadsAcross() throws Exception {
        String topic = "validated";
        createTopic(topic, Map.of("strata.value.schema.validation", "full", "strata.schema.validation.failure", "dlq"));
        int id = register(topic + "-value");
        int count = 1500;
        List<byte[]> valid = new ArrayList<>();
        List<byte[]> invalid = new ArrayList<>();
        Properties props = Records.producerProps(broker);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                byte[] value = switch (i % 3) {
                    case 0 -> ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);  // no schema ID
                    case 1 -> framed(id, "{\"n\":\"not a number\"}");                   // fails the schema
                    default -> framed(id, "{\"n\":" + i + "}");
                };
                (i % 3 == 2 ? valid : invalid).add(value);
                sent.add(producer.send(new ProducerRecord<>(topic, 0, null, value)));
            }
            producer.flush();
            for (int i = 0; i < count; i++) {
                // Every record is acknowledged at its own offset, dead-lettered or not.
                assertEquals(i, sent.get(i).get(30, TimeUnit.SECONDS).offset(), "offset of send " + i);
            }
        }
        List<ConsumerRecord<byte[], byte[]>> kept = Records.readAll(broker, topic, List.of(0), valid.size()).get(0);
        for (int i = 0; i < valid.size(); i++) {
            assertArrayEquals(valid.get(i), kept.get(i).value());
            assertEquals(3L * i + 2, kept.get(i).offset());
        }
        List<ConsumerRecord<byte[], byte[]>> letters =
                Records.readAll(broker, topic + ".dlq", List.of(0), invalid.size()).get(0);
        for (int i = 0; i < invalid.size(); i++) {
            ConsumerRecord<byte[], byte[]> r = letters.get(i);
            assertArrayEquals(invalid.get(i), r.value());
            assertEquals(topic, new String(r.headers().lastHeader("strata.dlq.source.topic").value(), StandardCharsets.UTF_8));
            assertNotNull(r.headers().lastHeader("strata.dlq.reason"));
        }
    }

    @Test
    void aRejectedBatchNamesTheFailingRecord() throws Exception {
        String topic = "strict";
        createTopic(topic, Map.of("strata.value.schema.validation", "full"));
        int id = register(topic + "-value");
        Properties props = Records.producerProps(broker);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5_000);
        props.put(ProducerConfig.RETRIES_CONFIG, 0);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String json = switch (i) {
                    case 1 -> "{\"n\":\"one\"}";
                    case 3 -> "{\"n\":3,\"extra\":true}";
                    default -> "{\"n\":" + i + "}";
                };
                sent.add(producer.send(new ProducerRecord<>(topic, 0, null, framed(id, json))));
            }
            producer.flush();
            for (int i = 0; i < 5; i++) {
                // The whole batch fails. With record_errors in the response
                // (KIP-467) the client fails the named record with its own
                // reason and its batch mates with a plain KafkaException; without
                // them every record would get InvalidRecordException and the
                // partition's error_message.
                ExecutionException e = assertThrows(ExecutionException.class, sent.get(i)::get);
                Throwable cause = e.getCause();
                if (i == 1 || i == 3) {
                    assertInstanceOf(InvalidRecordException.class, cause);
                    assertTrue(cause.getMessage().startsWith("value does not match schema ID " + id + ": "),
                            cause.getMessage());
                } else {
                    assertEquals(KafkaException.class, cause.getClass(), "record " + i + ": " + cause);
                    assertTrue(cause.getMessage().contains("part of a batch which had one more more invalid records"),
                            cause.getMessage());
                }
            }
        }
    }
}
