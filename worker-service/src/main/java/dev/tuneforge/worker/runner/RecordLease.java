package dev.tuneforge.worker.runner;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The acquisition lock on the command record of the running job, as the consumer thread tracks it:
 * the record as last handed out by a poll (an acknowledgement must name the current one) and when
 * the next renewal is due.
 *
 * <p>The lock is renewed every third of its duration, so a slow or retried renewal still lands in
 * time, but at least every {@link #MAX_RENEW_INTERVAL}: renewing is also how the consumer thread
 * polls while a job runs, and a consumer that does not poll within {@code max.poll.interval.ms}
 * (5 minutes) leaves the group. Times are {@link System#nanoTime()} values.
 */
final class RecordLease {
    static final Duration MAX_RENEW_INTERVAL = Duration.ofMinutes(1);

    private final long renewEveryNanos;
    private ConsumerRecord<String, byte[]> record;
    private long lockFrom;

    RecordLease(ConsumerRecord<String, byte[]> record, Duration lockDuration, long now) {
        this.record = record;
        this.renewEveryNanos = Math.min(lockDuration.toNanos() / 3, MAX_RENEW_INTERVAL.toNanos());
        this.lockFrom = now;
    }

    ConsumerRecord<String, byte[]> record() {
        return record;
    }

    long renewDueAt() {
        return lockFrom + renewEveryNanos;
    }

    /** The broker extended the lock (at about {@code now}) and a poll handed the record back. */
    void renewed(ConsumerRecord<String, byte[]> renewedRecord, long now) {
        record = renewedRecord;
        lockFrom = now;
    }

    static boolean sameRecord(ConsumerRecord<?, ?> a, ConsumerRecord<?, ?> b) {
        return a.topic().equals(b.topic()) && a.partition() == b.partition() && a.offset() == b.offset();
    }
}
