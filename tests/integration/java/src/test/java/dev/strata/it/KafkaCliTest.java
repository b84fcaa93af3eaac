package dev.strata.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.it.KafkaTools.Result;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Apache Kafka's own command-line tools (fetched by scripts/fetch_kafka_tools.sh
 * into .tools/kafka/bin) against the broker. Missing tools fail the test: CI
 * installs them, so a skip would hide a broken setup.
 */
class KafkaCliTest {
    @RegisterExtension
    static final StrataBroker broker = new StrataBroker();

    static KafkaTools tools;

    @BeforeAll
    static void findTools() {
        tools = new KafkaTools(broker, "kafka-topics.sh", "kafka-configs.sh", "kafka-console-producer.sh",
                "kafka-console-consumer.sh");
    }

    static Result run(String tool, String stdin, String... args) throws Exception {
        return tools.run(tool, stdin, args);
    }

    static Result ok(String tool, String stdin, String... args) throws Exception {
        return tools.ok(tool, stdin, args);
    }

    /** "Key: value" pairs of one tab-separated kafka-topics --describe line. */
    static Map<String, String> fields(String line) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : line.trim().split("\t")) {
            int colon = part.indexOf(':');
            m.put(part.substring(0, colon).trim(), part.substring(colon + 1).trim());
        }
        return m;
    }

    static Set<String> listTopics() throws Exception {
        return new TreeSet<>(ok("kafka-topics.sh", null, "--list").lines());
    }

    static void assertDescribe(String topic, int partitions, String configs) throws Exception {
        Result r = ok("kafka-topics.sh", null, "--describe", "--topic", topic);
        List<String> lines = r.lines();
        assertEquals(1 + partitions, lines.size(), r.toString());
        Map<String, String> head = fields(lines.get(0));
        assertEquals(topic, head.get("Topic"), r.toString());
        assertEquals(22, head.get("TopicId").length(), "base64 topic id: " + r);
        assertEquals(String.valueOf(partitions), head.get("PartitionCount"), r.toString());
        assertEquals("1", head.get("ReplicationFactor"), r.toString());
        // Order of the configs column follows the broker's DescribeConfigs order; compare as sets.
        assertEquals(configs.isEmpty() ? Set.of() : Set.of(configs.split(",")),
                head.get("Configs").isEmpty() ? Set.of() : Set.of(head.get("Configs").split(",")), r.toString());
        for (int i = 0; i < partitions; i++) {
            Map<String, String> p = fields(lines.get(1 + i));
            assertEquals(topic, p.get("Topic"), r.toString());
            assertEquals(String.valueOf(i), p.get("Partition"), r.toString());
            assertEquals("1", p.get("Leader"), r.toString());
            assertEquals("1", p.get("Replicas"), r.toString());
            assertEquals("1", p.get("Isr"), r.toString());
        }
    }

    @Test
    void topicsCreateDescribeListAlterDelete() throws Exception {
        Result created = ok("kafka-topics.sh", null, "--create", "--topic", "cli-topics", "--partitions", "3",
                "--replication-factor", "1");
        assertEquals(List.of("Created topic cli-topics."), created.lines());
        ok("kafka-topics.sh", null, "--create", "--topic", "cli-other", "--config", "retention.ms=3600000");
        assertTrue(listTopics().containsAll(Set.of("cli-topics", "cli-other")), listTopics().toString());

        assertDescribe("cli-topics", 3, "");
        assertDescribe("cli-other", 1, "retention.ms=3600000");

        Result dup = run("kafka-topics.sh", null, "--create", "--topic", "cli-topics", "--partitions", "1");
        assertEquals(1, dup.exit(), dup.toString());
        assertTrue(dup.stdout().contains("Topic 'cli-topics' already exists."), dup.toString());

        ok("kafka-topics.sh", null, "--alter", "--topic", "cli-topics", "--partitions", "5");
        assertDescribe("cli-topics", 5, "");
        Result shrink = run("kafka-topics.sh", null, "--alter", "--topic", "cli-topics", "--partitions", "2");
        assertEquals(1, shrink.exit(), shrink.toString());
        assertTrue(shrink.stderr().contains("org.apache.kafka.common.errors.InvalidPartitionsException"), shrink.toString());

        ok("kafka-topics.sh", null, "--delete", "--topic", "cli-topics");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (listTopics().contains("cli-topics") && System.nanoTime() < deadline) Thread.sleep(200);
        Set<String> after = listTopics();
        assertFalse(after.contains("cli-topics"), after.toString());
        assertTrue(after.contains("cli-other"), after.toString());
    }

    @Test
    void configsDescribeAndAlterTopic() throws Exception {
        ok("kafka-topics.sh", null, "--create", "--topic", "cli-configs", "--partitions", "1");
        Result empty = ok("kafka-configs.sh", null, "--describe", "--entity-type", "topics", "--entity-name", "cli-configs");
        assertEquals(List.of("Dynamic configs for topic cli-configs are:"), empty.lines());

        Result altered = ok("kafka-configs.sh", null, "--alter", "--entity-type", "topics", "--entity-name", "cli-configs",
                "--add-config", "retention.ms=3600000,max.message.bytes=2000000");
        assertEquals(List.of("Completed updating config for topic cli-configs."), altered.lines());
        Result described = ok("kafka-configs.sh", null, "--describe", "--entity-type", "topics", "--entity-name", "cli-configs");
        assertEquals(List.of("  max.message.bytes=2000000", "  retention.ms=3600000",
                        "Dynamic configs for topic cli-configs are:"),
                described.lines().stream().map(l -> l.replaceAll(" sensitive=.*", "")).sorted().toList(),
                described.toString());
        assertDescribe("cli-configs", 1, "max.message.bytes=2000000,retention.ms=3600000");

        ok("kafka-configs.sh", null, "--alter", "--entity-type", "topics", "--entity-name", "cli-configs",
                "--delete-config", "max.message.bytes");
        described = ok("kafka-configs.sh", null, "--describe", "--entity-type", "topics", "--entity-name", "cli-configs");
        assertEquals(List.of("Dynamic configs for topic cli-configs are:", "  retention.ms=3600000"),
                described.lines().stream().map(l -> l.replaceAll(" sensitive=.*", "")).toList(), described.toString());

        Result bad = run("kafka-configs.sh", null, "--alter", "--entity-type", "topics", "--entity-name", "cli-configs",
                "--add-config", "retention.ms=soon");
        assertEquals(1, bad.exit(), bad.toString());
        Result missing = run("kafka-configs.sh", null, "--alter", "--entity-type", "topics", "--entity-name", "cli-nope",
                "--add-config", "retention.ms=1000");
        assertEquals(1, missing.exit(), missing.toString());
        assertTrue(missing.stdout().contains("UnknownTopicOrPartitionException")
                || missing.stderr().contains("UnknownTopicOrPartitionException"), missing.toString());
    }

    /**
     * The synonyms column exactly as Kafka prints it: a topic config's default is
     * named after the broker property it comes from (message.max.bytes for
     * max.message.bytes); retention.ms has no default synonym because its broker
     * synonym log.retention.ms has no default value (only log.retention.hours does).
     */
    @Test
    void configsDescribeSynonymsAsKafka() throws Exception {
        ok("kafka-topics.sh", null, "--create", "--topic", "cli-synonyms", "--partitions", "1");
        ok("kafka-configs.sh", null, "--alter", "--entity-type", "topics", "--entity-name", "cli-synonyms",
                "--add-config", "retention.ms=3600000,max.message.bytes=2000000");
        Result described = ok("kafka-configs.sh", null, "--describe", "--entity-type", "topics", "--entity-name", "cli-synonyms");
        assertEquals(List.of(
                        "  max.message.bytes=2000000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:max.message.bytes=2000000, "
                                + "DEFAULT_CONFIG:message.max.bytes=1048588}",
                        "  retention.ms=3600000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=3600000}",
                        "Dynamic configs for topic cli-synonyms are:"),
                described.lines().stream().sorted().toList(), described.toString());
    }

    @Test
    void consoleProducerThenConsoleConsumer() throws Exception {
        ok("kafka-topics.sh", null, "--create", "--topic", "cli-console", "--partitions", "1");
        List<String> lines = IntStream.range(0, 500).mapToObj(i -> "line " + i + " " + "é✓".repeat(i % 4)).toList();
        String input = lines.stream().map(l -> l + "\n").collect(Collectors.joining());
        Result produced = ok("kafka-console-producer.sh", input, "--topic", "cli-console");
        assertEquals("", produced.stdout().replace(">", "").trim(), produced.toString());

        Result consumed = ok("kafka-console-consumer.sh", null, "--topic", "cli-console", "--partition", "0",
                "--from-beginning", "--max-messages", "500", "--timeout-ms", "30000");
        assertEquals(lines, consumed.lines(), consumed.toString());
        assertTrue(consumed.stderr().contains("Processed a total of 500 messages"), consumed.toString());

        // From an explicit offset, with keys and timestamps printed.
        Result middle = ok("kafka-console-consumer.sh", null, "--topic", "cli-console", "--partition", "0",
                "--offset", "100", "--max-messages", "3", "--timeout-ms", "30000",
                "--property", "print.key=true", "--property", "print.offset=true");
        assertEquals(List.of("Offset:100\tnull\t" + lines.get(100), "Offset:101\tnull\t" + lines.get(101),
                "Offset:102\tnull\t" + lines.get(102)), middle.lines(), middle.toString());
    }

    @Test
    void consoleProducerWithKeys() throws Exception {
        ok("kafka-topics.sh", null, "--create", "--topic", "cli-keys", "--partitions", "1");
        String input = "k1:v1\nk2:v2\nk1:v3\n";
        ok("kafka-console-producer.sh", input, "--topic", "cli-keys",
                "--property", "parse.key=true", "--property", "key.separator=:");
        Result consumed = ok("kafka-console-consumer.sh", null, "--topic", "cli-keys", "--partition", "0",
                "--from-beginning", "--max-messages", "3", "--timeout-ms", "30000",
                "--property", "print.key=true", "--property", "key.separator=|");
        assertEquals(List.of("k1|v1", "k2|v2", "k1|v3"), consumed.lines(), consumed.toString());
    }
}
