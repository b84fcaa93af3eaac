package dev.strata.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three members share a 12-partition topic while 200,000 keyed, numbered
 * records are produced; one member leaves (close()) and one, a JVM of its own,
 * is killed with SIGKILL after consuming records it did not commit. Every record
 * is consumed, and the only records consumed twice are those the killed member
 * consumed past its committed offsets (as the broker had them at the kill).
 */
class GroupCrashTest {
    private static final int PARTITIONS = 12;
    private static final int TOTAL = 200_000;
    private static final int CLASSIC_VICTIM_SESSION_MS = 6_000;

    @RegisterExtension
    static final StrataBroker broker = new StrataBroker(
            "group.initial.rebalance.delay.ms=0",
            "group.consumer.heartbeat.interval.ms=500",
            // KIP-848 session timeouts are the broker's: short, so the killed member's
            // partitions move on within seconds.
            "group.consumer.session.timeout.ms=8000");

    @Test
    void classicRange() throws Exception {
        scenario("range", "classic", "org.apache.kafka.clients.consumer.RangeAssignor");
    }

    @Test
    void classicRoundRobin() throws Exception {
        scenario("roundrobin", "classic", "org.apache.kafka.clients.consumer.RoundRobinAssignor");
    }

    @Test
    void classicCooperativeSticky() throws Exception {
        scenario("cooperative", "classic", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    }

    @Test
    void consumerProtocol() throws Exception {
        scenario("kip848", "consumer", null);
    }

    /** What one member reported, as the test sees it. */
    static final class Ledger implements GroupMember.Sink {
        final String name;
        private final List<long[]> consumed = new ArrayList<>(); // {partition, offset, number}
        private volatile Set<Integer> assignment = Set.of();
        final AtomicInteger held = new AtomicInteger();
        private volatile boolean holding;

        Ledger(String name) {
            this.name = name;
        }

        @Override
        public void assigned(Set<Integer> partitions) {
            assignment = Set.copyOf(partitions);
        }

        @Override
        public synchronized void consumed(int partition, long offset, long number) {
            consumed.add(new long[] {partition, offset, number});
        }

        @Override
        public void committed(Map<Integer, Long> nextOffsets) {}

        @Override
        public void holding() {
            holding = true;
        }

        boolean isHolding() {
            return holding;
        }

        @Override
        public void held() {
            held.incrementAndGet();
        }

        synchronized List<long[]> records() {
            return new ArrayList<>(consumed);
        }

        synchronized int count() {
            return consumed.size();
        }

        Set<Integer> assignment() {
            return assignment;
        }

        @Override
        public String toString() {
            return name + "{consumed=" + count() + ", assignment=" + assignment + ", held=" + held + "}";
        }
    }

    private void scenario(String name, String protocol, String assignor) throws Exception {
        String topic = "crash-" + name;
        String group = "crash-group-" + name;
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Ledger leaver = new Ledger("leaver");
        Ledger victim = new Ledger("victim");
        Ledger survivor = new Ledger("survivor");
        List<Throwable> errors = new ArrayList<>();
        GroupMember leaverMember = new GroupMember(broker.bootstrap(), group, topic, protocol, assignor, 30_000, leaver);
        GroupMember survivorMember = new GroupMember(broker.bootstrap(), group, topic, protocol, assignor, 30_000, survivor);
        Thread leaverThread = memberThread(leaverMember, errors);
        Thread survivorThread = memberThread(survivorMember, errors);
        Process victimProcess = startMemberProcess(group, topic, protocol, assignor, victim);
        Supplier<String> state = () -> leaver + " " + victim + " " + survivor + " errors=" + errors;
        try (Admin admin = broker.admin();
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Records.producerProps(broker));
             Writer victimCommands = new OutputStreamWriter(victimProcess.getOutputStream(), StandardCharsets.UTF_8)) {
            await("three members share the partitions", state, errors,
                    () -> sharePartitions(leaver, victim, survivor));
            produce(producer, topic, 0, 70_000);
            await("the leaver consumes", state, errors, () -> leaver.count() > 0);
            leaverMember.leave();
            leaverThread.join(60_000);
            assertFalse(leaverThread.isAlive(), "the leaver closed");

            produce(producer, topic, 70_000, 140_000);
            await("the other two share the partitions", state, errors, () -> sharePartitions(victim, survivor));
            victimCommands.write("HOLD\n");
            victimCommands.flush();
            await("the victim stops committing", state, errors, victim::isHolding);
            produce(producer, topic, 140_000, 170_000);
            await("the victim consumes without committing", state, errors, () -> victim.held.get() > 0);
            victimProcess.destroyForcibly(); // SIGKILL
            assertTrue(victimProcess.waitFor(30, TimeUnit.SECONDS), "the victim died");
            // Until the victim's session expires nobody else owns its partitions, so these
            // are its committed offsets: what it consumed from here on was never committed.
            Map<Integer, Long> atKill = committed(admin, group);

            produce(producer, topic, 170_000, TOTAL);
            await("every record is consumed by a live member or committed by the victim", state, errors,
                    () -> uncovered(atKill, leaver, victim, survivor).isEmpty());
            survivorMember.leave();
            survivorThread.join(60_000);
            assertFalse(survivorThread.isAlive(), "the survivor closed");
            assertTrue(errors.isEmpty(), "member errors: " + errors);

            assertEquals(Set.of(), uncovered(atKill, leaver, victim, survivor), "records nobody consumed");
            List<String> lost = victim.records().stream().filter(r -> r[1] >= atKill.getOrDefault((int) r[0], 0L))
                    .map(r -> r[0] + "@" + r[1]).toList();
            assertFalse(lost.isEmpty(), "the victim died holding uncommitted records");
            System.out.println(name + ": " + state.get() + ", the victim's uncommitted records: " + lost.size());
            assertEquals(List.of(), wrongDuplicates(atKill, leaver, victim, survivor),
                    "records consumed twice other than the victim's uncommitted ones (" + lost.size() + ")");

            Map<Integer, Long> end = committed(admin, group);
            assertEquals(PARTITIONS, end.size(), "committed: " + end);
            assertEquals(TOTAL, end.values().stream().mapToLong(Long::longValue).sum(), "committed: " + end);
        } finally {
            victimProcess.destroyForcibly();
            leaverMember.leave();
            survivorMember.leave();
            leaverThread.join(30_000);
            survivorThread.join(30_000);
        }
    }

    /**
     * Every partition owned by exactly one of {@code members}, each owning its
     * even share: the settled assignment, which nothing moves until the next
     * member leaves or dies.
     */
    private static boolean sharePartitions(Ledger... members) {
        Set<Integer> union = new HashSet<>();
        int sum = 0;
        for (Ledger m : members) {
            Set<Integer> a = m.assignment();
            if (a.size() != PARTITIONS / members.length) return false;
            union.addAll(a);
            sum += a.size();
        }
        return union.size() == PARTITIONS && sum == PARTITIONS;
    }

    /** Record numbers consumed neither by a live member nor by the victim below its committed offsets. */
    private static Set<Long> uncovered(Map<Integer, Long> atKill, Ledger leaver, Ledger victim, Ledger survivor) {
        boolean[] covered = new boolean[TOTAL];
        for (Ledger live : List.of(leaver, survivor)) {
            for (long[] r : live.records()) covered[(int) r[2]] = true;
        }
        for (long[] r : victim.records()) {
            if (r[1] < atKill.getOrDefault((int) r[0], 0L)) covered[(int) r[2]] = true;
        }
        Set<Long> missing = new HashSet<>();
        for (int i = 0; i < TOTAL && missing.size() < 20; i++) {
            if (!covered[i]) missing.add((long) i);
        }
        return missing;
    }

    /**
     * Records consumed more than once, except a victim's uncommitted record
     * consumed once more by a live member. Reports the first few.
     */
    private static List<String> wrongDuplicates(Map<Integer, Long> atKill, Ledger... members) {
        Map<Long, List<String>> by = new HashMap<>();
        for (Ledger m : members) {
            for (long[] r : m.records()) {
                boolean excused = m.name.equals("victim") && r[1] >= atKill.getOrDefault((int) r[0], 0L);
                by.computeIfAbsent(r[2], k -> new ArrayList<>(2))
                        .add((excused ? "victim-uncommitted" : m.name) + "@" + r[0] + ":" + r[1]);
            }
        }
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<Long, List<String>> e : by.entrySet()) {
            List<String> who = e.getValue();
            if (who.size() == 1) continue;
            boolean ok = who.size() == 2 && who.stream().filter(w -> w.startsWith("victim-uncommitted")).count() == 1;
            if (!ok && wrong.size() < 20) wrong.add("record " + e.getKey() + " by " + who);
        }
        return wrong;
    }

    private static Map<Integer, Long> committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> got =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        Map<Integer, Long> out = new HashMap<>();
        got.forEach((tp, om) -> {
            if (om != null) out.put(tp.partition(), om.offset());
        });
        return out;
    }

    /** Keyed, numbered records {@code from..to-1}: key "k<n>", value "<n>". */
    private static void produce(KafkaProducer<byte[], byte[]> producer, String topic, int from, int to) {
        AtomicReference<Exception> failed = new AtomicReference<>();
        for (int i = from; i < to; i++) {
            producer.send(new ProducerRecord<>(topic, ("k" + i).getBytes(StandardCharsets.UTF_8),
                    String.valueOf(i).getBytes(StandardCharsets.UTF_8)), (md, e) -> {
                if (e != null) failed.compareAndSet(null, e);
            });
        }
        producer.flush();
        assertEquals(null, failed.get(), "produce failed");
    }

    private static Thread memberThread(GroupMember member, List<Throwable> errors) {
        Thread t = new Thread(() -> {
            try {
                member.run();
            } catch (Throwable e) {
                synchronized (errors) {
                    errors.add(e);
                }
            }
        });
        t.start();
        return t;
    }

    /** The victim: a member in a JVM of its own, so SIGKILL is a real crash. */
    private static Process startMemberProcess(String group, String topic, String protocol, String assignor,
                                              Ledger ledger) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", cp, GroupMember.class.getName(),
                broker.bootstrap(), group, topic, protocol, assignor == null ? "-" : assignor,
                String.valueOf(CLASSIC_VICTIM_SESSION_MS));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) GroupMember.LineSink.replay(line, ledger);
            } catch (IOException | RuntimeException e) {
                // The victim was killed mid-line: what it reported before is what counts.
            }
        });
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    private static void await(String what, Supplier<String> state, List<Throwable> errors, BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!done.getAsBoolean()) {
            synchronized (errors) {
                assertTrue(errors.isEmpty(), what + ": member errors: " + errors);
            }
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what + ": " + state.get());
            Thread.sleep(200);
        }
    }
}
