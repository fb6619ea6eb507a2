package dev.tuneforge.scheduler.events;

import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.events.InvalidEventException;
import dev.tuneforge.common.events.JobEventData;
import dev.tuneforge.common.events.TypedEvent;
import dev.tuneforge.scheduler.retry.Backoff;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code tuneforge.job-events} in the scheduler's consumer group, one record at a time in
 * offset order (records are keyed by job id, so each job's events arrive in order). A record is
 * acknowledged, and its offset committed, only after its transaction committed or it reached the
 * DLQ. Transient faults (database down, broker unreachable for the DLQ) are retried with backoff
 * for as long as they last: the consumer stalls rather than skip an event.
 */
@ApplicationScoped
public class JobEventsConsumer {
    private static final Logger LOG = Logger.getLogger(JobEventsConsumer.class);

    private final EventCodec codec;
    private final EventProcessor processor;
    private final DeadLetters deadLetters;
    private final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), 2.0, 0.2);
    private volatile boolean stopping;

    public JobEventsConsumer(EventCodec codec, EventProcessor processor, DeadLetters deadLetters) {
        this.codec = codec;
        this.processor = processor;
        this.deadLetters = deadLetters;
    }

    @Incoming("job-events")
    @Blocking
    public void consume(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
        for (int failures = 1; ; failures++) {
            try {
                handle(record);
                return;
            } catch (RuntimeException e) {
                if (stopping) {
                    // Not acknowledged: the offset stays uncommitted and the record comes back after the restart.
                    throw new IllegalStateException("shutting down before " + position(record) + " was processed", e);
                }
                Duration wait = backoff.delay(failures);
                LOG.warnf("%s failed (attempt %d), retrying in %d ms: %s", position(record), failures,
                        wait.toMillis(), e.getMessage());
                Thread.sleep(wait.toMillis());
            }
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        TypedEvent<JobEventData> event;
        UUID eventId;
        try {
            event = codec.decode(record.value());
            eventId = eventIdOf(event);
        } catch (InvalidEventException e) {
            deadLetters.send(record, e.getMessage());
            return;
        }
        try {
            EventProcessor.Outcome outcome = processor.process(event, eventId);
            LOG.debugf("%s %s event %s: %s", position(record), event.type().type(), eventId, outcome);
        } catch (RuntimeException e) {
            if (Transience.isTransient(e)) {
                throw e;
            }
            LOG.errorf(e, "%s: %s event %s cannot be processed", position(record), event.type().type(), eventId);
            deadLetters.send(record, "cannot process " + event.type().type() + " event " + eventId + ": " + e);
        }
    }

    private static UUID eventIdOf(TypedEvent<JobEventData> event) {
        try {
            return UUID.fromString(event.id());
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("event id '" + event.id() + "' is not a UUID");
        }
    }

    private static String position(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
