package dev.strata.it;

import static dev.strata.it.Futures.failure;
import static dev.strata.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** AdminClient topic administration: CreateTopics, Metadata, CreatePartitions, DeleteTopics, DescribeCluster. */
class AdminTopicsTest {
    @RegisterExtension
    static final StrataBroker broker = new StrataBroker();

    static Admin admin;

    @BeforeAll
    static void open() {
        admin = broker.sharedAdmin();
    }

    static void assertSingleNodePartitions(TopicDescription d, int count) {
        assertEquals(count, d.partitions().size(), "partition count of " + d.name());
        for (int i = 0; i < count; i++) {
            TopicPartitionInfo p = d.partitions().get(i);
            assertEquals(i, p.partition());
            assertNotNull(p.leader(), "leader of partition " + i);
            assertEquals(StrataBroker.NODE_ID, p.leader().id());
            assertEquals("127.0.0.1", p.leader().host());
            assertEquals(broker.port(), p.leader().port());
            assertEquals(List.of(StrataBroker.NODE_ID), p.replicas().stream().map(Node::id).toList());
            assertEquals(List.of(StrataBroker.NODE_ID), p.isr().stream().map(Node::id).toList());
        }
    }

    @Test
    void describeCluster() throws Exception {
        DescribeClusterResult r = admin.describeCluster();
        List<Node> nodes = List.copyOf(get(r.nodes()));
        assertEquals(1, nodes.size());
        assertEquals(StrataBroker.NODE_ID, nodes.get(0).id());
        assertEquals("127.0.0.1", nodes.get(0).host());
        assertEquals(broker.port(), nodes.get(0).port());
        assertEquals(StrataBroker.NODE_ID, get(r.controller()).id());
        String clusterId = get(r.clusterId());
        assertNotNull(clusterId);
        assertFalse(clusterId.isEmpty());
    }

    @Test
    void createDescribeListAndDelete() throws Exception {
        CreateTopicsResult created = admin.createTopics(List.of(
                new NewTopic("admin-a", 3, (short) 1),
                new NewTopic("admin-b", Optional.empty(), Optional.empty()),
                new NewTopic("admin-c", 2, (short) 1).configs(Map.of("retention.ms", "3600000"))));
        get(created.all());
        assertEquals(3, get(created.numPartitions("admin-a")));
        assertEquals(1, get(created.numPartitions("admin-b")), "broker default num.partitions=1");
        assertEquals(1, get(created.replicationFactor("admin-b")));
        Uuid idA = get(created.topicId("admin-a"));
        assertNotEquals(Uuid.ZERO_UUID, idA);
        assertNotEquals(get(created.topicId("admin-b")), idA);

        Set<String> names = get(admin.listTopics().names());
        assertTrue(names.containsAll(Set.of("admin-a", "admin-b", "admin-c")), names.toString());
        assertEquals(names, get(admin.listTopics(new ListTopicsOptions().listInternal(true)).names()),
                "no internal topics exist yet");

        Map<String, TopicDescription> d = get(admin.describeTopics(List.of("admin-a", "admin-b", "admin-c")).allTopicNames());
        assertEquals(idA, d.get("admin-a").topicId());
        assertFalse(d.get("admin-a").isInternal());
        assertSingleNodePartitions(d.get("admin-a"), 3);
        assertSingleNodePartitions(d.get("admin-b"), 1);
        assertSingleNodePartitions(d.get("admin-c"), 2);

        get(admin.deleteTopics(List.of("admin-a", "admin-b")).all());
        // Deletion in Kafka is asynchronous; Strata's is immediate, but allow for propagation.
        waitUntilAbsent(Set.of("admin-a", "admin-b"));
        assertInstanceOf(UnknownTopicOrPartitionException.class,
                failure(admin.describeTopics(List.of("admin-a")).allTopicNames()));
        assertTrue(get(admin.listTopics().names()).contains("admin-c"));

        // Delete by id.
        Uuid idC = d.get("admin-c").topicId();
        get(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(idC))).all());
        waitUntilAbsent(Set.of("admin-c"));
        assertInstanceOf(UnknownTopicIdException.class,
                failure(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(idC))).all()));

        // A deleted name can be reused, and gets a new id.
        CreateTopicsResult again = admin.createTopics(List.of(new NewTopic("admin-a", 1, (short) 1)));
        get(again.all());
        assertNotEquals(idA, get(again.topicId("admin-a")));
    }

    private static void waitUntilAbsent(Set<String> gone) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Set<String> names;
        do {
            names = get(admin.listTopics().names());
            if (names.stream().noneMatch(gone::contains)) return;
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("topics still listed after delete: " + names);
    }

    /** Metadata v12+ looks topics up by id (Admin.describeTopics(TopicCollection.ofTopicIds(...))). */
    @Test
    void describeByTopicId() throws Exception {
        CreateTopicsResult created = admin.createTopics(List.of(new NewTopic("admin-by-id", 2, (short) 1)));
        Uuid id = get(created.topicId("admin-by-id"));
        Map<Uuid, TopicDescription> byId = get(admin.describeTopics(TopicCollection.ofTopicIds(List.of(id))).allTopicIds());
        assertEquals("admin-by-id", byId.get(id).name());
        assertEquals(id, byId.get(id).topicId());
        assertSingleNodePartitions(byId.get(id), 2);
        assertInstanceOf(UnknownTopicIdException.class, failure(
                admin.describeTopics(TopicCollection.ofTopicIds(List.of(Uuid.randomUuid()))).allTopicIds()));
    }

    @Test
    void createErrors() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("admin-exists", 1, (short) 1))).all());
        assertInstanceOf(TopicExistsException.class,
                failure(admin.createTopics(List.of(new NewTopic("admin-exists", 1, (short) 1))).all()));
        assertInstanceOf(InvalidTopicException.class,
                failure(admin.createTopics(List.of(new NewTopic("bad/name", 1, (short) 1))).all()));
        assertInstanceOf(InvalidTopicException.class,
                failure(admin.createTopics(List.of(new NewTopic("x".repeat(250), 1, (short) 1))).all()));
        assertInstanceOf(InvalidReplicationFactorException.class,
                failure(admin.createTopics(List.of(new NewTopic("admin-rf3", 1, (short) 3))).all()));
        assertFalse(get(admin.listTopics().names()).contains("admin-rf3"));

        // One bad topic does not fail the others in the same request.
        CreateTopicsResult mixed = admin.createTopics(List.of(
                new NewTopic("admin-exists", 1, (short) 1), new NewTopic("admin-fresh", 2, (short) 1)));
        assertInstanceOf(TopicExistsException.class, failure(mixed.values().get("admin-exists")));
        get(mixed.values().get("admin-fresh"));
        assertEquals(2, get(mixed.numPartitions("admin-fresh")));

        assertInstanceOf(UnknownTopicOrPartitionException.class,
                failure(admin.deleteTopics(List.of("admin-never-existed")).all()));
    }

    @Test
    void validateOnlyCreatesNothing() throws Exception {
        CreateTopicsResult r = admin.createTopics(List.of(new NewTopic("admin-dry", 4, (short) 1)),
                new CreateTopicsOptions().validateOnly(true));
        get(r.all());
        assertEquals(4, get(r.numPartitions("admin-dry")));
        assertFalse(get(admin.listTopics().names()).contains("admin-dry"));
    }

    @Test
    void createPartitions() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("admin-grow", 2, (short) 1))).all());
        get(admin.createPartitions(Map.of("admin-grow", NewPartitions.increaseTo(5))).all());
        TopicDescription d = get(admin.describeTopics(List.of("admin-grow")).allTopicNames()).get("admin-grow");
        assertSingleNodePartitions(d, 5);

        assertInstanceOf(InvalidPartitionsException.class,
                failure(admin.createPartitions(Map.of("admin-grow", NewPartitions.increaseTo(3))).all()));
        assertInstanceOf(InvalidPartitionsException.class,
                failure(admin.createPartitions(Map.of("admin-grow", NewPartitions.increaseTo(5))).all()));
        assertInstanceOf(UnknownTopicOrPartitionException.class,
                failure(admin.createPartitions(Map.of("admin-missing", NewPartitions.increaseTo(5))).all()));

        // validateOnly reports success without changing anything.
        get(admin.createPartitions(Map.of("admin-grow", NewPartitions.increaseTo(8)),
                new CreatePartitionsOptions().validateOnly(true)).all());
        d = get(admin.describeTopics(List.of("admin-grow")).allTopicNames()).get("admin-grow");
        assertEquals(5, d.partitions().size());
    }
}
