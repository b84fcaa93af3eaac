package dev.strata.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * KIP-848: Java consumers with group.protocol=consumer share a topic; the
 * broker assigns partitions (uniform assignor) and moves them between members
 * with revocation before reassignment.
 */
class ConsumerProtocolGroupTest {
    @RegisterExtension
    static final StrataBroker broker = new StrataBroker("group.consumer.heartbeat.interval.ms=500");

    @Test
    void threeConsumersShareTwelvePartitionsAndConsumeEveryRecordOnce() throws Exception {
        String topic = "kip848";
        String group = "kip848-group";
        int partitions = 12;
        int total = 24_000;
        GroupShareRun.fillTopic(broker, topic, partitions, total);

        Properties members = new Properties();
        members.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        members.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        members.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        members.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
        GroupShareRun.Result result = GroupShareRun.run(
                broker, topic, partitions, total, members, KafkaConsumer::commitSync, () -> {});

        GroupShareRun.assertEvenlyShared(result, partitions, total, "uniform assignment");
        assertEquals(0, result.duplicates(), "members committing after every batch consume nothing twice");
        try (Admin admin = broker.admin()) {
            GroupShareRun.assertCommittedEverything(admin, group, partitions, total);
        }
    }
}
