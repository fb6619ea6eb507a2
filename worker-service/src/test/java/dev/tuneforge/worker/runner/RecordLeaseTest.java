package dev.tuneforge.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RecordLeaseTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private final ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("tuneforge.jobs.train", 2, 17L, "k", new byte[0]);
    private final RecordLease lease = new RecordLease(record, Duration.ofSeconds(3), 100 * SECOND);

    @Test
    void renewsEveryThirdOfTheLock() {
        assertThat(lease.held()).isTrue();
        assertThat(lease.renewDueAt()).isEqualTo(101 * SECOND);
        lease.renewing(101 * SECOND);
        assertThat(lease.held()).isFalse();
        assertThat(lease.renewDueAt()).isEqualTo(102 * SECOND);
    }

    @Test
    void renewedRecordComesBackHeld() {
        lease.renewing(101 * SECOND);
        ConsumerRecord<String, byte[]> again = new ConsumerRecord<>("tuneforge.jobs.train", 2, 17L, "k", new byte[0]);
        assertThat(lease.isRecord(again)).isTrue();
        lease.returned(again);
        assertThat(lease.held()).isTrue();
        assertThat(lease.record()).isSameAs(again);
    }

    @Test
    void otherRecordsAreNotThisOne() {
        assertThat(lease.isRecord(new ConsumerRecord<>("tuneforge.jobs.train", 2, 18L, "k", new byte[0]))).isFalse();
        assertThat(lease.isRecord(new ConsumerRecord<>("tuneforge.jobs.train", 1, 17L, "k", new byte[0]))).isFalse();
        assertThat(lease.isRecord(new ConsumerRecord<>("tuneforge.jobs.generate", 2, 17L, "k", new byte[0]))).isFalse();
    }

    @Test
    void expiresWhenTheRenewedRecordStaysAwayForALockDuration() {
        lease.renewing(101 * SECOND);
        assertThat(lease.expired(103 * SECOND)).isFalse();
        assertThat(lease.expired(104 * SECOND)).isTrue();
    }

    @Test
    void aHeldRecordNeverExpiresOnItsOwn() {
        assertThat(lease.expired(1000 * SECOND)).isFalse();
    }

    @Test
    void keepsTheFirstReasonItWasLost() {
        assertThat(lease.lost()).isFalse();
        lease.lose("acknowledgement failed");
        lease.lose("timeout");
        assertThat(lease.lost()).isTrue();
        assertThat(lease.lostReason()).isEqualTo("acknowledgement failed");
    }
}
