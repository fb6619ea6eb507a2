package dev.tuneforge.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RecordLeaseTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private final ConsumerRecord<String, byte[]> record = record("tuneforge.jobs.train", 2, 17L);

    @Test
    void renewsEveryThirdOfTheLockFromTheLastRenewal() {
        RecordLease lease = new RecordLease(record, Duration.ofSeconds(3), 100 * SECOND);
        assertThat(lease.renewDueAt()).isEqualTo(101 * SECOND);
        ConsumerRecord<String, byte[]> again = record("tuneforge.jobs.train", 2, 17L);
        lease.renewed(again, 101 * SECOND + 5);
        assertThat(lease.renewDueAt()).isEqualTo(102 * SECOND + 5);
        assertThat(lease.record()).isSameAs(again);
    }

    @Test
    void renewsAtLeastEveryMinuteSoTheConsumerKeepsPolling() {
        RecordLease lease = new RecordLease(record, Duration.ofHours(1), 0);
        assertThat(lease.renewDueAt()).isEqualTo(Duration.ofMinutes(1).toNanos());
    }

    @Test
    void recordsAreTheSameByTopicPartitionAndOffset() {
        assertThat(RecordLease.sameRecord(record, record("tuneforge.jobs.train", 2, 17L))).isTrue();
        assertThat(RecordLease.sameRecord(record, record("tuneforge.jobs.train", 2, 18L))).isFalse();
        assertThat(RecordLease.sameRecord(record, record("tuneforge.jobs.train", 1, 17L))).isFalse();
        assertThat(RecordLease.sameRecord(record, record("tuneforge.jobs.generate", 2, 17L))).isFalse();
    }

    private static ConsumerRecord<String, byte[]> record(String topic, int partition, long offset) {
        return new ConsumerRecord<>(topic, partition, offset, "k", new byte[0]);
    }
}
