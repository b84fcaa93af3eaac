package dev.strata.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.it.KafkaTools.Result;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kafka-consumer-groups against the broker, for a classic group and for a
 * group.protocol=consumer group (the tool describes those with
 * ConsumerGroupDescribe instead of DescribeGroups): --list, --describe with
 * offsets, lag, members and state, --reset-offsets, --delete-offsets, --delete.
 */
class ConsumerGroupsCliTest {
    @RegisterExtension
    static final StrataBroker broker = new StrataBroker("group.initial.rebalance.delay.ms=0",
            "group.consumer.heartbeat.interval.ms=500");

    static final String TOOL = "kafka-consumer-groups.sh";
    // Records per partition, and what the member commits: lag 0, 15 and 18.
    static final int[] RECORDS = {10, 20, 30};
    static final long[] COMMITTED = {10, 5, 12};

    static KafkaTools tools;

    @BeforeAll
    static void findTools() {
        tools = new KafkaTools(broker, TOOL);
    }

    @Test
    void classicGroup() throws Exception {
        groupLifecycle("cli-classic", "classic", "Classic", "range");
    }

    @Test
    void consumerProtocolGroup() throws Exception {
        groupLifecycle("cli-consumer", "consumer", "Consumer", "uniform");
    }

    void groupLifecycle(String name, String protocol, String type, String strategy) throws Exception {
        String topic = name + "-topic";
        String group = name + "-group";
        produce(topic);
        try (KafkaConsumer<byte[], byte[]> member = consumer(group, protocol)) {
            member.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (member.assignment().size() < 3 && System.nanoTime() < deadline) member.poll(Duration.ofMillis(200));
            assertEquals(3, member.assignment().size(), "the only member owns every partition");
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            for (int p = 0; p < 3; p++) commit.put(new TopicPartition(topic, p), new OffsetAndMetadata(COMMITTED[p]));
            member.commitSync(commit);
            String memberId = member.groupMetadata().memberId();

            assertEquals(List.of(Map.of("GROUP", group, "TYPE", type, "STATE", "Stable")),
                    table(tools.ok(TOOL, null, "--list", "--type", "--state")).stream()
                            .filter(r -> r.get("GROUP").equals(group)).toList());

            List<Map<String, String>> offsets = table(tools.ok(TOOL, null, "--describe", "--group", group));
            assertEquals(3, offsets.size(), offsets.toString());
            for (Map<String, String> row : offsets) {
                int p = Integer.parseInt(row.get("PARTITION"));
                assertEquals(topic, row.get("TOPIC"), row.toString());
                assertEquals(String.valueOf(COMMITTED[p]), row.get("CURRENT-OFFSET"), row.toString());
                assertEquals(String.valueOf(RECORDS[p]), row.get("LOG-END-OFFSET"), row.toString());
                assertEquals(String.valueOf(RECORDS[p] - COMMITTED[p]), row.get("LAG"), row.toString());
                assertEquals(memberId, row.get("CONSUMER-ID"), row.toString());
                assertEquals(name, row.get("CLIENT-ID"), row.toString());
            }

            List<Map<String, String>> members = table(tools.ok(TOOL, null, "--describe", "--group", group, "--members"));
            assertEquals(1, members.size(), members.toString());
            assertEquals(memberId, members.get(0).get("CONSUMER-ID"));
            assertEquals("3", members.get(0).get("#PARTITIONS"), members.toString());

            Map<String, String> state = single(tools.ok(TOOL, null, "--describe", "--group", group, "--state"));
            assertEquals("Stable", state.get("STATE"), state.toString());
            assertEquals("1", state.get("#MEMBERS"), state.toString());
            assertEquals(strategy, state.get("ASSIGNMENT-STRATEGY"), state.toString());

            // An active group can be neither reset nor deleted.
            Result reset = tools.run(TOOL, null, "--reset-offsets", "--to-earliest", "--group", group, "--topic", topic,
                    "--execute");
            assertTrue(reset.stdout().contains("Assignments can only be reset if the group '" + group
                    + "' is inactive, but the current state is Stable."), reset.toString());
            Result busy = tools.run(TOOL, null, "--delete", "--group", group);
            assertTrue(busy.stdout().contains("Group '" + group + "' could not be deleted due to: "
                    + "org.apache.kafka.common.errors.GroupNotEmptyException"), busy.toString());
            // Nor can the offsets of a topic its member consumes (GROUP_SUBSCRIBED_TO_TOPIC).
            Result subscribed = tools.run(TOOL, null, "--delete-offsets", "--group", group, "--topic", topic + ":0");
            assertTrue(subscribed.stdout().contains("Encountered some partition-level error"), subscribed.toString());
            assertTrue(subscribed.stdout().contains(
                    "Error: org.apache.kafka.common.errors.GroupSubscribedToTopicException"), subscribed.toString());
        }

        // The member left: the group stays, empty, with its offsets.
        assertEquals(List.of(Map.of("GROUP", group, "TYPE", type, "STATE", "Empty")),
                table(tools.ok(TOOL, null, "--list", "--type", "--state")).stream()
                        .filter(r -> r.get("GROUP").equals(group)).toList());
        Result reset = tools.ok(TOOL, null, "--reset-offsets", "--to-earliest", "--group", group, "--topic", topic,
                "--execute");
        List<Map<String, String>> planned = table(reset);
        assertEquals(3, planned.size(), reset.toString());
        for (Map<String, String> row : planned) assertEquals("0", row.get("NEW-OFFSET"), reset.toString());
        for (Map<String, String> row : table(tools.ok(TOOL, null, "--describe", "--group", group))) {
            int p = Integer.parseInt(row.get("PARTITION"));
            assertEquals("0", row.get("CURRENT-OFFSET"), row.toString());
            assertEquals(String.valueOf(RECORDS[p]), row.get("LAG"), row.toString());
        }

        // A new member starts from the reset positions, not from auto.offset.reset (latest).
        try (KafkaConsumer<byte[], byte[]> member = consumer(group, protocol)) {
            member.subscribe(List.of(topic));
            Map<Integer, List<Long>> seen = new HashMap<>();
            int total = RECORDS[0] + RECORDS[1] + RECORDS[2];
            int count = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (count < total && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : member.poll(Duration.ofMillis(200))) {
                    seen.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(r.offset());
                    count++;
                }
            }
            for (int p = 0; p < 3; p++) {
                List<Long> expected = new ArrayList<>();
                for (long o = 0; o < RECORDS[p]; o++) expected.add(o);
                assertEquals(expected, seen.get(p), "offsets consumed from partition " + p);
            }
        }

        // Empty, the group gives up one partition's offset; the others stay.
        Result offsetDeleted = tools.ok(TOOL, null, "--delete-offsets", "--group", group, "--topic", topic + ":0");
        assertTrue(offsetDeleted.stdout().contains("Request succeeded for deleting offsets from group " + group + "."),
                offsetDeleted.toString());
        assertTrue(offsetDeleted.lines().stream().anyMatch(l -> l.trim().split("\\s+").length == 3
                && l.trim().startsWith(topic + " ") && l.trim().endsWith(" Successful")), offsetDeleted.toString());
        List<String> left = new ArrayList<>();
        for (Map<String, String> row : table(tools.ok(TOOL, null, "--describe", "--group", group)))
            left.add(row.get("PARTITION"));
        assertEquals(List.of("1", "2"), left.stream().sorted().toList(), "partitions with offsets after --delete-offsets");

        Result deleted = tools.ok(TOOL, null, "--delete", "--group", group);
        assertTrue(deleted.stdout().contains("Deletion of requested consumer groups ('" + group + "') was successful."),
                deleted.toString());
        List<String> listed = tools.ok(TOOL, null, "--list").lines();
        assertFalse(listed.contains(group), listed.toString());
        Result again = tools.run(TOOL, null, "--delete", "--group", group);
        assertTrue(again.stdout().contains("Group '" + group + "' could not be deleted due to: "
                + "org.apache.kafka.common.errors.GroupIdNotFoundException"), again.toString());
    }

    static void produce(String topic) throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Records.producerProps(broker))) {
            for (int p = 0; p < 3; p++)
                for (int i = 0; i < RECORDS[p]; i++)
                    producer.send(new ProducerRecord<>(topic, p, null, ("r" + i).getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
    }

    static KafkaConsumer<byte[], byte[]> consumer(String group, String protocol) {
        Properties p = new Properties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, group.replace("-group", ""));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        return Records.consumer(broker, p);
    }

    /**
     * The rows of the tool's table, column name to value. Values have no blanks
     * except the state table's "COORDINATOR (ID)", which splits as its header does.
     */
    static List<Map<String, String>> table(Result r) {
        List<Map<String, String>> rows = new ArrayList<>();
        String[] header = null;
        for (String line : r.lines()) {
            if (line.isBlank()) continue;
            String[] cells = line.trim().split("\\s+");
            if (cells[0].equals("GROUP")) {
                header = cells;
                continue;
            }
            if (header == null) continue;
            assertEquals(header.length, cells.length, "columns of '" + line + "' in " + r);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) row.put(header[i], cells[i]);
            rows.add(row);
        }
        return rows;
    }

    static Map<String, String> single(Result r) {
        List<Map<String, String>> rows = table(r);
        assertEquals(1, rows.size(), r.toString());
        return rows.get(0);
    }
}
