import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Start-up probe for bench/compare: measures when a broker first acknowledges a
 * produce request.
 *
 * Usage: FirstAck <bootstrap> <topic> <timeout_ms>
 *
 * Builds an acks=all producer (the broker need not be up yet), prints "ready",
 * then sends one record at a time until one is acknowledged and prints
 * "acked <epoch ms>" (wall clock, compared by the harness with the moment it
 * started the broker). Reconnect and retry back-offs are a few milliseconds so
 * the probe itself adds little to the figure. Exits 1 on timeout.
 */
public final class FirstAck {
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        long deadline = System.currentTimeMillis() + Long.parseLong(args[2]);

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, "5");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "20");
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "5");
        p.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "20");
        p.put(ProducerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, "1000");
        p.put(ProducerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, "1000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "4000");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());

        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            System.out.println("ready");
            System.out.flush();
            byte[] value = "first".getBytes();
            while (System.currentTimeMillis() < deadline) {
                try {
                    producer.send(new ProducerRecord<>(topic, value)).get(5, TimeUnit.SECONDS);
                    System.out.println("acked " + System.currentTimeMillis());
                    System.out.flush();
                    return;
                } catch (Exception e) {
                    Thread.sleep(5);  // broker not up yet: try again
                }
            }
        }
        System.out.println("timeout");
        System.exit(1);
    }
}
