package dev.tuneforge.worker.messaging;

import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.InvalidEventException;
import dev.tuneforge.common.events.JobCancelRequested;
import dev.tuneforge.common.events.TypedEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Reads all of {@code tuneforge.job-control} on its own thread and hands every cancel request to
 * a callback. Every worker reads every partition itself (assigned, no group, nothing committed) and
 * from the beginning: a worker that starts after a cancel request was published must still know it
 * when the cancelled job's command reaches it.
 *
 * <p>A record that is not a readable event is logged and skipped, not sent to the DLQ: every worker
 * reads it, and again at every start, so forwarding it would file it once per worker and restart.
 */
public final class ControlListener implements Runnable {
    private static final Logger LOG = Logger.getLogger(ControlListener.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;
    private final String topic;
    private final EventCodec codec;
    private final Consumer<JobCancelRequested> onCancel;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean closed;

    public ControlListener(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer, String topic,
            EventCodec codec, Consumer<JobCancelRequested> onCancel) {
        this.consumer = consumer;
        this.topic = topic;
        this.codec = codec;
        this.onCancel = onCancel;
    }

    @Override
    public void run() {
        try {
            List<TopicPartition> partitions = partitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (!closed) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    handle(record);
                }
                if (caughtUp.getCount() > 0 && reached(end)) {
                    LOG.debugf("Read %s up to %s", topic, end);
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                LOG.error("Reader of " + topic + " woken up unexpectedly; cancel requests are no longer read", e);
            }
        } catch (RuntimeException e) {
            LOG.error("Reader of " + topic + " failed; cancel requests are no longer read", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Waits until every cancel request published before this listener started has been handed over. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the poll loop; the running thread closes the consumer. */
    public void close() {
        closed = true;
        consumer.wakeup();
    }

    private List<TopicPartition> partitions() {
        while (!closed) {
            List<PartitionInfo> found = consumer.partitionsFor(topic);
            if (found != null && !found.isEmpty()) {
                return found.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            LOG.warnf("Topic %s has no partitions yet; cancel requests cannot be read until it exists", topic);
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            }
        }
        throw new WakeupException();
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        TypedEvent<?> event;
        try {
            event = codec.decode(record.value());
        } catch (InvalidEventException e) {
            LOG.warnf("Skipping unreadable record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return;
        }
        if (event.type() == EventType.JOB_CANCEL_REQUESTED) {
            onCancel.accept((JobCancelRequested) event.data());
        } else {
            LOG.debugf("Ignoring %s on %s: workers act on cancel requests only", event.type().type(), topic);
        }
    }
}
