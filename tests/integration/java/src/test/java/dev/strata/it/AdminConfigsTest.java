package dev.strata.it;

import static dev.strata.it.Futures.failure;
import static dev.strata.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigOp.OpType;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DescribeConfigs, IncrementalAlterConfigs and DescribeLogDirs through the
 * AdminClient. Expected values are Apache Kafka's: a topic override reports
 * source DYNAMIC_TOPIC_CONFIG, an untouched topic config reports the broker
 * default with source DEFAULT_CONFIG (the broker here sets no log.* keys).
 */
class AdminConfigsTest {
    @RegisterExtension
    static final StrataBroker broker = new StrataBroker();

    static final String WEEK_MS = "604800000";
    static Admin admin;

    @BeforeAll
    static void open() {
        admin = broker.sharedAdmin();
    }

    static ConfigResource topic(String name) {
        return new ConfigResource(ConfigResource.Type.TOPIC, name);
    }

    static Config describe(String topicName) throws Exception {
        return get(admin.describeConfigs(List.of(topic(topicName))).all()).get(topic(topicName));
    }

    static void assertEntry(Config config, String name, String value, ConfigSource source) {
        ConfigEntry e = config.get(name);
        assertNotNull(e, "config " + name + " missing from " + config);
        assertEquals(value, e.value(), name + " value");
        assertEquals(source, e.source(), name + " source");
        assertEquals(source == ConfigSource.DEFAULT_CONFIG, e.isDefault(), name + " isDefault");
        assertFalse(e.isSensitive(), name + " sensitive");
        assertFalse(e.isReadOnly(), name + " read-only");
    }

    static void alter(String topicName, AlterConfigOp... ops) throws Exception {
        get(admin.incrementalAlterConfigs(Map.of(topic(topicName), List.of(ops))).all());
    }

    @Test
    void describeTopicConfigs() throws Exception {
        CreateTopicsResult created = admin.createTopics(List.of(
                new NewTopic("cfg-describe", 1, (short) 1).configs(Map.of("retention.ms", "3600000", "cleanup.policy", "compact"))));
        get(created.all());
        Config c = describe("cfg-describe");
        assertEntry(c, "retention.ms", "3600000", ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertEntry(c, "cleanup.policy", "compact", ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertEntry(c, "retention.bytes", "-1", ConfigSource.DEFAULT_CONFIG);
        assertEntry(c, "segment.bytes", "1073741824", ConfigSource.DEFAULT_CONFIG);
        assertEntry(c, "max.message.bytes", "1048588", ConfigSource.DEFAULT_CONFIG);
        assertEntry(c, "min.insync.replicas", "1", ConfigSource.DEFAULT_CONFIG);
        assertEntry(c, "compression.type", "producer", ConfigSource.DEFAULT_CONFIG);
        assertEntry(c, "message.timestamp.type", "CreateTime", ConfigSource.DEFAULT_CONFIG);

        // CreateTopics (v5+) returns the same configs in its response.
        Config fromCreate = get(created.config("cfg-describe"));
        assertEquals("3600000", fromCreate.get("retention.ms").value());
        assertEquals("compact", fromCreate.get("cleanup.policy").value());
        assertEquals(WEEK_MS, fromCreate.get("segment.ms").value());

        // An untouched topic reports the defaults.
        get(admin.createTopics(List.of(new NewTopic("cfg-plain", 1, (short) 1))).all());
        Config plain = describe("cfg-plain");
        assertEntry(plain, "retention.ms", WEEK_MS, ConfigSource.DEFAULT_CONFIG);
        assertEntry(plain, "cleanup.policy", "delete", ConfigSource.DEFAULT_CONFIG);
        assertTrue(plain.entries().stream().noneMatch(e -> e.source() == ConfigSource.DYNAMIC_TOPIC_CONFIG),
                "no overrides on a plain topic: " + plain);

        assertInstanceOf(UnknownTopicOrPartitionException.class,
                failure(admin.describeConfigs(List.of(topic("cfg-missing"))).all()));
    }

    @Test
    void incrementalAlterSetAndDelete() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("cfg-alter", 2, (short) 1))).all());
        alter("cfg-alter", new AlterConfigOp(new ConfigEntry("retention.ms", "86400000"), OpType.SET),
                new AlterConfigOp(new ConfigEntry("max.message.bytes", "2097152"), OpType.SET));
        Config c = describe("cfg-alter");
        assertEntry(c, "retention.ms", "86400000", ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertEntry(c, "max.message.bytes", "2097152", ConfigSource.DYNAMIC_TOPIC_CONFIG);

        // SET again replaces; DELETE reverts to the default; untouched keys stay.
        alter("cfg-alter", new AlterConfigOp(new ConfigEntry("retention.ms", "7200000"), OpType.SET));
        assertEntry(describe("cfg-alter"), "retention.ms", "7200000", ConfigSource.DYNAMIC_TOPIC_CONFIG);
        alter("cfg-alter", new AlterConfigOp(new ConfigEntry("retention.ms", null), OpType.DELETE));
        c = describe("cfg-alter");
        assertEntry(c, "retention.ms", WEEK_MS, ConfigSource.DEFAULT_CONFIG);
        assertEntry(c, "max.message.bytes", "2097152", ConfigSource.DYNAMIC_TOPIC_CONFIG);

        // validateOnly changes nothing.
        get(admin.incrementalAlterConfigs(Map.of(topic("cfg-alter"),
                        List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "1000"), OpType.SET))),
                new AlterConfigsOptions().validateOnly(true)).all());
        assertEntry(describe("cfg-alter"), "retention.ms", WEEK_MS, ConfigSource.DEFAULT_CONFIG);
    }

    @Test
    void incrementalAlterAppendAndSubtractOnLists() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("cfg-list", 1, (short) 1))).all());
        alter("cfg-list", new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), OpType.APPEND));
        assertEntry(describe("cfg-list"), "cleanup.policy", "delete,compact", ConfigSource.DYNAMIC_TOPIC_CONFIG);
        alter("cfg-list", new AlterConfigOp(new ConfigEntry("cleanup.policy", "delete"), OpType.SUBTRACT));
        assertEntry(describe("cfg-list"), "cleanup.policy", "compact", ConfigSource.DYNAMIC_TOPIC_CONFIG);
    }

    @Test
    void incrementalAlterErrors() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("cfg-errors", 1, (short) 1))).all());
        assertInstanceOf(InvalidConfigurationException.class, failure(admin.incrementalAlterConfigs(Map.of(topic("cfg-errors"),
                List.of(new AlterConfigOp(new ConfigEntry("no.such.config", "1"), OpType.SET)))).all()));
        assertInstanceOf(InvalidConfigurationException.class, failure(admin.incrementalAlterConfigs(Map.of(topic("cfg-errors"),
                List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "soon"), OpType.SET)))).all()));
        // APPEND to a non-list config: INVALID_CONFIG from Kafka's (KRaft) controller.
        assertInstanceOf(InvalidConfigurationException.class, failure(admin.incrementalAlterConfigs(Map.of(topic("cfg-errors"),
                List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "5"), OpType.APPEND)))).all()));
        assertInstanceOf(UnknownTopicOrPartitionException.class, failure(admin.incrementalAlterConfigs(Map.of(topic("cfg-missing"),
                List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "1000"), OpType.SET)))).all()));
        // Nothing changed by the failed requests.
        Config c = describe("cfg-errors");
        assertEntry(c, "retention.ms", WEEK_MS, ConfigSource.DEFAULT_CONFIG);
        assertTrue(c.entries().stream().noneMatch(e -> e.source() == ConfigSource.DYNAMIC_TOPIC_CONFIG), c.toString());
    }

    static Config describeBroker() throws Exception {
        ConfigResource b = new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(StrataBroker.NODE_ID));
        return get(admin.describeConfigs(List.of(b)).all()).get(b);
    }

    @Test
    void describeBrokerConfigsShowsStaticSettings() throws Exception {
        Config c = describeBroker();
        ConfigEntry listeners = c.get("listeners");
        assertNotNull(listeners, c.toString());
        assertEquals("PLAINTEXT://" + broker.bootstrap(), listeners.value());
        assertEquals(ConfigSource.STATIC_BROKER_CONFIG, listeners.source());
        ConfigEntry logDirs = c.get("log.dirs");
        assertNotNull(logDirs, c.toString());
        assertEquals(broker.logFile().getParent().resolve("data").toString(), logDirs.value());
        assertEquals(ConfigSource.STATIC_BROKER_CONFIG, logDirs.source());
    }

    /** Kafka lists every broker config, defaults included (source DEFAULT_CONFIG). */
    @Test
    void describeBrokerConfigsIncludesDefaults() throws Exception {
        Config c = describeBroker();
        assertNotNull(c.get("num.partitions"), c.toString());
        assertEquals("1", c.get("num.partitions").value());
        assertEquals(ConfigSource.DEFAULT_CONFIG, c.get("num.partitions").source());
        assertEquals("1", c.get("default.replication.factor").value());
        assertEquals("168", c.get("log.retention.hours").value());
        assertEquals("true", c.get("auto.create.topics.enable").value());
    }

    @Test
    void describeLogDirs() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("cfg-logdirs", 2, (short) 1))).all());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Records.producerProps(broker))) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>("cfg-logdirs", 0, null, ("value-" + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        Map<Integer, Map<String, LogDirDescription>> all =
                get(admin.describeLogDirs(List.of(StrataBroker.NODE_ID)).allDescriptions());
        Map<String, LogDirDescription> dirs = all.get(StrataBroker.NODE_ID);
        assertNotNull(dirs, "no log dirs for broker " + StrataBroker.NODE_ID);
        assertEquals(1, dirs.size(), dirs.toString());
        Map.Entry<String, LogDirDescription> dir = dirs.entrySet().iterator().next();
        assertEquals(broker.logFile().getParent().resolve("data").toString(), Path.of(dir.getKey()).toString());
        assertEquals(null, dir.getValue().error());
        Map<TopicPartition, ReplicaInfo> replicas = dir.getValue().replicaInfos();
        ReplicaInfo p0 = replicas.get(new TopicPartition("cfg-logdirs", 0));
        ReplicaInfo p1 = replicas.get(new TopicPartition("cfg-logdirs", 1));
        assertNotNull(p0, replicas.toString());
        assertNotNull(p1, replicas.toString());
        assertTrue(p0.size() > 100 * "value-00".length(), "size of partition 0: " + p0.size());
        assertEquals(0, p1.size());
        assertFalse(p0.isFuture());
        Collection<ReplicaInfo> sizes = replicas.values();
        assertTrue(sizes.stream().allMatch(r -> r.size() >= 0));
    }
}
