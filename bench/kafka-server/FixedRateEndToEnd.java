import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * End-to-end latency at a fixed rate, for bench/compare. Kafka's own
 * EndToEndLatency tool sends one record at a time and waits for it, so it
 * measures an idle broker; this probe measures produce-to-consume latency
 * while records flow at a steady rate, which is what the fixed-rate figures
 * of the benchmark are about.
 *
 * Usage: FixedRateEndToEnd <bootstrap> <topic> <records/s> <seconds> <record bytes> [warm-up seconds]
 *
 * One acks=all producer and one consumer (assigned every partition of the
 * topic, reading from the end), both with the clients' default settings. Each
 * value starts with the producer's System.nanoTime() at send; the consumer,
 * in the same JVM, records now - that for every record it receives. Records
 * are paced by the send schedule, not by acknowledgements, so a slow broker
 * shows up as latency rather than a lower rate. Records sent during the
 * warm-up are not counted. Prints one line:
 *   records N rate R p50 A p99 B p999 C max D avg E  (latencies in ms)
 * and exits 1 if records were lost (fewer received than sent after a grace period).
 */
public final class FixedRateEndToEnd {
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int size = Math.max(16, Integer.parseInt(args[4]));
        int warmupSeconds = args.length > 5 ? Integer.parseInt(args[5]) : 5;

        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");

        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());

        long total = (long) rate * (warmupSeconds + seconds);
        long warmup = (long) rate * warmupSeconds;
        long[] latencyNanos = new long[(int) (total - warmup)];
        // Worst latency of the records sent in each second of the measured
        // window, printed to stderr: tells a steady tail from a few stalls.
        long[] worstBySecond = new long[seconds + 1];
        // The same for the producer's acknowledgement: a stall in both is on
        // the produce path, a stall in the first alone on the fetch path.
        java.util.concurrent.atomic.AtomicLongArray worstAckBySecond = new java.util.concurrent.atomic.AtomicLongArray(seconds + 1);
        AtomicLong sendErrors = new AtomicLong();

        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cp);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp)) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo pi : consumer.partitionsFor(topic, Duration.ofSeconds(30)))
                parts.add(new TopicPartition(topic, pi.partition()));
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            for (TopicPartition tp : parts)
                consumer.position(tp, Duration.ofSeconds(30));  // resolve "latest" before sending

            Thread sender = new Thread(() -> {
                Random random = new Random(42);
                byte[] filler = new byte[size];
                random.nextBytes(filler);
                long start = System.nanoTime();
                long interval = 1_000_000_000L / rate;
                for (long i = 0; i < total; i++) {
                    long due = start + i * interval;
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0)
                        LockSupport.parkNanos(wait);
                    byte[] value = filler.clone();
                    long sentAt = System.nanoTime();
                    ByteBuffer.wrap(value).putLong(0, sentAt).putLong(8, i);
                    int second = i < warmup ? -1 : (int) Math.min(seconds, (i - warmup) / rate);
                    producer.send(new ProducerRecord<>(topic, value), (md, e) -> {
                        if (e != null) sendErrors.incrementAndGet();
                        if (second >= 0)
                            worstAckBySecond.accumulateAndGet(second, System.nanoTime() - sentAt, Math::max);
                    });
                }
                producer.flush();
            }, "fixed-rate-sender");
            sender.start();

            long received = 0;
            int counted = 0;
            long graceUntil = Long.MAX_VALUE;
            while (received < total) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    ByteBuffer b = ByteBuffer.wrap(r.value());
                    long sentAt = b.getLong(0);
                    long seq = b.getLong(8);
                    received++;
                    if (seq >= warmup && counted < latencyNanos.length) {
                        latencyNanos[counted++] = now - sentAt;
                        int second = (int) Math.min(seconds, (seq - warmup) / rate);
                        worstBySecond[second] = Math.max(worstBySecond[second], now - sentAt);
                    }
                }
                if (!sender.isAlive() && graceUntil == Long.MAX_VALUE)
                    graceUntil = System.nanoTime() + 30_000_000_000L;
                if (System.nanoTime() > graceUntil)
                    break;
            }
            sender.join();

            StringBuilder timeline = new StringBuilder("worst ms by second sent:");
            for (long w : worstBySecond)
                timeline.append(String.format(" %.1f", ms(w)));
            System.err.println(timeline);
            StringBuilder acks = new StringBuilder("worst ack ms by second sent:");
            for (int k = 0; k <= seconds; k++)
                acks.append(String.format(" %.1f", ms(worstAckBySecond.get(k))));
            System.err.println(acks);
            long[] lat = Arrays.copyOf(latencyNanos, counted);
            Arrays.sort(lat);
            double sum = 0;
            for (long v : lat) sum += v;
            System.out.printf("records %d rate %d p50 %.3f p99 %.3f p999 %.3f max %.3f avg %.3f%n",
                    counted, rate, ms(pct(lat, 0.50)), ms(pct(lat, 0.99)), ms(pct(lat, 0.999)),
                    ms(lat.length > 0 ? lat[lat.length - 1] : 0), lat.length > 0 ? sum / lat.length / 1e6 : 0);
            if (received < total || sendErrors.get() > 0) {
                System.err.printf("lost records: sent %d, received %d, send errors %d%n",
                        total, received, sendErrors.get());
                System.exit(1);
            }
        }
    }

    private static long pct(long[] sorted, double q) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
