// A producer of a fault-injection history in Apache Kafka's Java client, run
// by the C++ harness (fault_history.cc) as a process of its own with
// `java -cp '<kafka libs>/*' HistoryProducer.java ...`: idempotent, acks=all,
// numbered records "<prefix><n>" to partition n % partitions, about a hundred
// a second, until SIGTERM; then it waits for every outstanding send.
//
// Every outcome is a line of the output file, written as it happens:
//   acked <partition> <offset> <value>
//   failed <value> <exception>
// and "done" once the last send has its answer.
//
// Usage: HistoryProducer <bootstrap> <topic> <partitions> <prefix> <output file>

import java.io.FileWriter;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

public class HistoryProducer {
    public static void main(String[] args) throws Exception {
        final String topic = args[1];
        final int partitions = Integer.parseInt(args[2]);
        final String prefix = args[3];
        final PrintWriter out = new PrintWriter(new FileWriter(args[4]), true);

        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // Retries for as long as the faults may last: nothing is given up on.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "180000");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());

        // SIGTERM ends the history: the hook lets the loop finish its sends
        // (the JVM exits once the hook returns).
        final AtomicBoolean stopping = new AtomicBoolean(false);
        final Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            try {
                main.join();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }));

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (long n = 0; !stopping.get(); ++n) {
                final String value = prefix + n;
                producer.send(new ProducerRecord<>(topic, (int) (n % partitions), null, value), (metadata, error) -> {
                    synchronized (out) {
                        if (error == null)
                            out.println("acked " + metadata.partition() + " " + metadata.offset() + " " + value);
                        else
                            out.println("failed " + value + " " + error);
                    }
                });
                Thread.sleep(10);
            }
            producer.flush();
        }
        synchronized (out) {
            out.println("done");
        }
    }
}
