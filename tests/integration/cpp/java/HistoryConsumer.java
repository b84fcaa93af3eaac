// A consumer of a fault-injection history in Apache Kafka's Java client, run
// by the C++ harness (fault_history.cc) as a process of its own with
// `java -cp '<kafka libs>/*' HistoryConsumer.java ...`: a member of a group,
// reading the topic from the beginning and committing asynchronously after
// every poll, until SIGTERM.
//
// Every outcome is a line of the output file, written as it happens:
//   read <partition> <offset> <value>
//   committed <partition> <offset>      (a commit the coordinator acknowledged)
// and "done" once the consumer has closed.
//
// Usage: HistoryConsumer <bootstrap> <topic> <group> <output file>

import java.io.FileWriter;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

public class HistoryConsumer {
    public static void main(String[] args) throws Exception {
        final PrintWriter out = new PrintWriter(new FileWriter(args[3]), true);
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, args[2]);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());

        // SIGTERM ends the history: the hook wakes the poll and waits for the close.
        final AtomicBoolean stopping = new AtomicBoolean(false);
        final Thread main = Thread.currentThread();
        final KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            consumer.wakeup();
            try {
                main.join();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }));

        try {
            consumer.subscribe(List.of(args[1]));
            while (!stopping.get()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200)))
                    out.println("read " + r.partition() + " " + r.offset() + " " + r.value());
                consumer.commitAsync((offsets, error) -> {
                    if (error != null) return;
                    offsets.forEach((tp, o) -> out.println("committed " + tp.partition() + " " + o.offset()));
                });
            }
        } catch (org.apache.kafka.common.errors.WakeupException ignored) {
            // SIGTERM
        } finally {
            consumer.close();
        }
        out.println("done");
    }
}
