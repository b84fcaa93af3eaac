package dev.strata.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One member of a consumer group that commits after every batch: it commits the
 * offsets of what it consumed after each poll, and again for the partitions a
 * rebalance takes away, so a member that keeps committing never hands on a
 * record it consumed. What it does is reported to a {@link Sink}.
 *
 * <p>Runs on its own thread inside the test JVM, or as the whole of a separate
 * JVM ({@link #main}) whose sink is stdout, so that a test can kill it with
 * SIGKILL: a real crash, not a close.
 */
final class GroupMember implements Runnable {
    /** What a member reports; called on the member's thread. */
    interface Sink {
        void assigned(Set<Integer> partitions);

        void consumed(int partition, long offset, long number);

        void committed(Map<Integer, Long> nextOffsets);

        /** From here on nothing is committed: a batch consumed after this stays uncommitted. */
        void holding();

        /** Consumed a non-empty batch after {@link #hold()} and committed none of it. */
        void held();

        /** The records of one poll were reported; called before they are committed. */
        default void batchDone() {}
    }

    private final Properties props;
    private final String topic;
    private final Sink sink;
    private volatile boolean leave;
    private volatile boolean hold;
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();

    /** {@code assignor} null for group.protocol=consumer (the broker assigns). */
    GroupMember(String bootstrap, String group, String topic, String protocol, String assignor,
                int sessionTimeoutMs, Sink sink) {
        this.topic = topic;
        this.sink = sink;
        props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        if (assignor != null) {
            // Classic protocol only: with group.protocol=consumer the broker owns these.
            props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignor);
            props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, sessionTimeoutMs);
            props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        }
    }

    /** Close the consumer (commit, leave the group) and return from run(). */
    void leave() {
        leave = true;
    }

    /** Stop committing; keep consuming. */
    void hold() {
        hold = true;
    }

    @Override
    public void run() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
                    if (!hold) commit(consumer, revoked);
                    report(consumer);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
                    report(consumer);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> lost) {
                    // Taken away without a chance to commit: what is pending is someone else's now.
                    pending.keySet().removeAll(lost);
                    report(consumer);
                }
            });
            boolean holding = false;
            while (!leave) {
                if (hold && !holding) {
                    holding = true; // every later read of hold sees it too
                    sink.holding();
                }
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    sink.consumed(r.partition(), r.offset(), Long.parseLong(new String(r.value(), StandardCharsets.UTF_8)));
                    pending.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                }
                sink.batchDone();
                if (hold) {
                    if (!batch.isEmpty()) sink.held();
                } else {
                    commit(consumer, null);
                }
            }
        }
    }

    /** Commits what is pending for {@code only} (every partition when null). */
    private void commit(KafkaConsumer<byte[], byte[]> consumer, Collection<TopicPartition> only) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(pending);
        if (only != null) offsets.keySet().retainAll(only);
        if (offsets.isEmpty()) return;
        try {
            consumer.commitSync(offsets);
        } catch (RebalanceInProgressException e) {
            // A cooperative rebalance is under way; the client commits again once poll()
            // completes it, or in onPartitionsRevoked if the partitions move.
            return;
        }
        offsets.forEach((tp, om) -> pending.remove(tp, om));
        sink.committed(offsets.entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset())));
    }

    private void report(KafkaConsumer<byte[], byte[]> consumer) {
        sink.assigned(consumer.assignment().stream().map(TopicPartition::partition).collect(Collectors.toSet()));
    }

    /**
     * A member in a JVM of its own: {@code bootstrap group topic protocol assignor|- sessionTimeoutMs}.
     * Reports on stdout one line per event (see {@link LineSink}); reads HOLD and LEAVE from stdin.
     */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        GroupMember member = new GroupMember(args[0], args[1], args[2], args[3],
                args[4].equals("-") ? null : args[4], Integer.parseInt(args[5]), new LineSink(out));
        Thread commands = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.equals("HOLD")) member.hold();
                    if (line.equals("LEAVE")) member.leave();
                }
            } catch (Exception e) {
                // The test went away: nothing left to obey.
            }
            member.leave();
        });
        commands.setDaemon(true);
        commands.start();
        member.run();
        out.flush();
    }

    /**
     * Writes events as lines, flushed at once so a SIGKILL loses nothing already
     * reported: "A 0,3,5" assignment, "R partition offset number" consumed,
     * "C partition=next,..." committed, "K" holding, "H" held.
     */
    static final class LineSink implements Sink {
        private final PrintStream out;

        LineSink(PrintStream out) {
            this.out = out;
        }

        @Override
        public void assigned(Set<Integer> partitions) {
            out.println("A " + new TreeSet<>(partitions).stream().map(String::valueOf).collect(Collectors.joining(",")));
            out.flush();
        }

        @Override
        public void consumed(int partition, long offset, long number) {
            out.println("R " + partition + " " + offset + " " + number);
        }

        @Override
        public void committed(Map<Integer, Long> nextOffsets) {
            out.println("C " + nextOffsets.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(",")));
            out.flush();
        }

        @Override
        public void holding() {
            out.println("K");
            out.flush();
        }

        @Override
        public void held() {
            out.println("H");
            out.flush();
        }

        @Override
        public void batchDone() {
            out.flush(); // before the commit: a record committed is a record reported
        }

        /** Replays one line written by a LineSink onto {@code sink}. */
        static void replay(String line, Sink sink) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "A" -> sink.assigned(f.length < 2 ? Set.of()
                        : java.util.Arrays.stream(f[1].split(",")).map(Integer::valueOf).collect(Collectors.toSet()));
                case "R" -> sink.consumed(Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
                case "C" -> {
                    Map<Integer, Long> m = new HashMap<>();
                    for (String kv : f[1].split(",")) {
                        String[] p = kv.split("=");
                        m.put(Integer.valueOf(p[0]), Long.valueOf(p[1]));
                    }
                    sink.committed(m);
                }
                case "K" -> sink.holding();
                case "H" -> sink.held();
                default -> System.err.println("member: " + line);
            }
        }
    }
}
