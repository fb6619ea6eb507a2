package dev.tuneforge.worker.runner;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The consumer thread's view of the acquisition lock on the command record of the running job.
 *
 * <p>The record is either <em>held</em> (the last poll returned it: it must be acknowledged before
 * the next poll) or <em>renewing</em> (a RENEW went out with the next poll; a later poll hands the
 * record back once the broker extended the lock). It is renewed every third of the lock duration,
 * so a renewal that is slow or must be retried still lands before the lock expires. A record that
 * does not come back within a lock duration, or whose acknowledgement failed, is lost.
 *
 * <p>Times are {@link System#nanoTime()} values. Used by the consumer thread only.
 */
final class RecordLease {
    private final long lockNanos;
    private final long renewEveryNanos;
    private ConsumerRecord<String, byte[]> record;
    private boolean held = true;
    private long lockFrom;
    private String lostReason;

    RecordLease(ConsumerRecord<String, byte[]> record, Duration lockDuration, long now) {
        this.record = record;
        this.lockNanos = lockDuration.toNanos();
        this.renewEveryNanos = lockNanos / 3;
        this.lockFrom = now;
    }

    ConsumerRecord<String, byte[]> record() {
        return record;
    }

    boolean held() {
        return held;
    }

    boolean isRecord(ConsumerRecord<String, byte[]> other) {
        return record.topic().equals(other.topic()) && record.partition() == other.partition()
                && record.offset() == other.offset();
    }

    long renewDueAt() {
        return lockFrom + renewEveryNanos;
    }

    /** A RENEW was acknowledged: the extended lock runs from about now. */
    void renewing(long now) {
        held = false;
        lockFrom = now;
    }

    /** A poll handed the renewed record back. */
    void returned(ConsumerRecord<String, byte[]> renewed) {
        record = renewed;
        held = true;
    }

    /** While renewing: whether the lock has run out without the record coming back. */
    boolean expired(long now) {
        return !held && now - lockFrom >= lockNanos;
    }

    void lose(String reason) {
        if (lostReason == null) {
            lostReason = reason;
        }
    }

    boolean lost() {
        return lostReason != null;
    }

    String lostReason() {
        return lostReason;
    }
}
