package dev.tuneforge.worker.runner;

import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.InvalidEventException;
import dev.tuneforge.common.events.JobCancelRequested;
import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.events.JobStarted;
import dev.tuneforge.common.jobs.JobKind;
import dev.tuneforge.common.jobs.SpecValidator;
import dev.tuneforge.common.jobs.Violation;
import dev.tuneforge.worker.messaging.EventPublisher;
import dev.tuneforge.worker.messaging.PublishException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

/**
 * The consumer thread of a worker: takes one command at a time from the share group, runs it on a
 * {@link JobExecution} and settles its record.
 *
 * <p>The sequence for one command record (explicit acknowledgement, one record per poll, no prefetch):
 * <ol>
 *   <li>poll returns the record. Its lock is confirmed first by a renewal (below): a record that sat
 *       in the consumer's fetch buffer can come out of a poll after its lock went to another worker,
 *       and must not be run twice;</li>
 *   <li>decode it (unreadable → DLQ with the reason, then ACCEPT) and screen it (too many deliveries,
 *       cancelled before it started, no handler, invalid spec → terminal event, then ACCEPT); else
 *       publish {@code job.started}, wait for its ack, start the handler on its own thread;</li>
 *   <li>while the handler runs, the consumer thread waits for it until the next renewal is due (a
 *       third of the lock duration), sending a heartbeat whenever the job was silent for the heartbeat
 *       interval. A renewal is: acknowledge RENEW, {@code commitSync} (the RENEW goes out in a
 *       ShareAcknowledge request and its result comes back), then poll, which hands the renewed
 *       record back at once; it must be acknowledged again before the next poll. Committing the
 *       RENEW rather than letting the poll carry it matters: a poll that carries it piggybacks it on
 *       a ShareFetch and leaves the consumer fetching, so it acquires the next command while this one
 *       runs and lets that lock expire unseen in its buffer (checked against the 4.3.1 client);</li>
 *   <li>when the handler ends: publish the terminal event, wait for the broker's ack, and only then
 *       ACCEPT (or RELEASE without event, see {@link Settlement}), committed synchronously;</li>
 *   <li>a renewal that fails (the lock expired, say after a long GC pause) means the command now
 *       belongs to another delivery: the handler is asked to stop, nothing more is published for it
 *       and nothing is acknowledged.</li>
 * </ol>
 * The consumer is polled while idle and at every renewal, so it is never left holding a command it
 * does not work on: it is either polling or closed.
 */
final class CommandLoop implements Runnable {
    private static final Logger LOG = Logger.getLogger(CommandLoop.class);
    /** Poll for a renewed record: it is normally handed back by the first poll after the RENEW was committed. */
    private static final Duration RENEW_POLL = Duration.ofMillis(100);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);

    /** The running job and the lock on its record. */
    private record Active(RecordLease lease, JobExecution execution) {
    }

    private final ShareConsumer<String, byte[]> consumer;
    private final Collection<String> topics;
    private final CommandDecoder decoder;
    private final JobHandlers handlers;
    private final CancelRegistry cancels;
    private final EventPublisher publisher;
    private final LoopSettings settings;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Active active;
    private volatile boolean stopping;
    private volatile long shutdownDeadline;
    private volatile RuntimeException failure;

    CommandLoop(ShareConsumer<String, byte[]> consumer, Collection<String> topics, CommandDecoder decoder,
            JobHandlers handlers, CancelRegistry cancels, EventPublisher publisher, LoopSettings settings) {
        this.consumer = consumer;
        this.topics = List.copyOf(topics);
        this.decoder = decoder;
        this.handlers = handlers;
        this.cancels = cancels;
        this.publisher = publisher;
        this.settings = settings;
        cancels.onRequest(this::onCancelRequested);
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(topics);
            LOG.infof("Worker %s takes commands from %s", settings.workerId(), topics);
            while (!stopping || active != null) {
                Active current = active;
                if (current == null) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(settings.pollTimeout())) {
                        take(record);
                    }
                } else {
                    tend(current);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new IllegalStateException("command loop interrupted", e);
        } catch (RuntimeException e) {
            LOG.error("Command loop failed; the running job is stopped and its record released", e);
            failure = e;
        } finally {
            Active current = active;
            if (current != null) {
                current.execution().requestStop(StopReason.SHUTDOWN, "command loop ended");
                current.execution().abandon();
            }
            closeConsumer();
            finished.countDown();
        }
    }

    /** Whether the loop ended by itself with an error (readiness reports it). */
    Optional<RuntimeException> failure() {
        return Optional.ofNullable(failure);
    }

    boolean running() {
        return finished.getCount() > 0;
    }

    /**
     * Graceful stop: take no more commands, ask the running job to stop, release its record so that
     * another worker resumes it, close the consumer. Returns whether all of it finished in time.
     */
    boolean stop() throws InterruptedException {
        shutdownDeadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        stopping = true;
        Active current = active;
        if (current != null) {
            current.execution().requestStop(StopReason.SHUTDOWN, "worker " + settings.workerId() + " shutting down");
        }
        Duration bound = settings.shutdownTimeout().plus(settings.pollTimeout()).plus(settings.closeTimeout())
                .plus(COMMIT_TIMEOUT);
        return finished.await(bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void take(ConsumerRecord<String, byte[]> record) {
        if (stopping || active != null) {
            release(record, stopping ? "worker shutting down" : "worker busy");
            return;
        }
        Duration lock = lockDuration();
        long confirmedAt = System.nanoTime();
        Optional<ConsumerRecord<String, byte[]>> held = renew(record, lock);
        if (held.isEmpty()) {
            LOG.infof("Skipped %s: its lock is no longer this worker's (a stale delivery)", describe(record));
            return;
        }
        begin(held.get(), lock, confirmedAt);
    }

    private void begin(ConsumerRecord<String, byte[]> record, Duration lock, long lockFrom) {
        int delivery = record.deliveryCount().map(Short::intValue).orElse(1);
        JobCommand command;
        try {
            command = decoder.decode(record);
        } catch (InvalidEventException e) {
            deadLetter(record, e.getMessage());
            return;
        }
        Settlement early = screen(command, delivery);
        if (early != null) {
            settle(record, command, early);
            return;
        }
        try {
            publisher.publishAndWait(EventType.JOB_STARTED,
                    new JobStarted(command.jobId(), command.attempt(), settings.workerId(), null));
        } catch (PublishException e) {
            settle(record, command, Settlement.released(e.getMessage()));
            return;
        }
        JobHandler handler = handlers.find(command.spec().kind()).orElseThrow();
        JobExecution execution = new JobExecution(handler, command, delivery, settings.workerId(), publisher);
        active = new Active(new RecordLease(record, lock, lockFrom), execution);
        // A cancel request or a shutdown that came in since the screening must not be missed.
        cancels.find(command).ifPresent(request -> execution.requestStop(StopReason.CANCEL, cancelNote(request)));
        if (stopping) {
            execution.requestStop(StopReason.SHUTDOWN, "worker " + settings.workerId() + " shutting down");
        }
        execution.start();
        LOG.infof("Running %s job %s attempt %d (delivery %d, lock %s)", command.spec().kind().wireName(),
                command.jobId(), command.attempt(), delivery, lock);
    }

    /** The settlement of a command that is not run at all, or null if it should run. */
    private Settlement screen(JobCommand command, int delivery) {
        if (delivery > settings.maxDeliveries()) {
            return Settlement.failed(command, "delivered " + delivery + " times without completing (limit "
                    + settings.maxDeliveries() + "): the workers that took it died, lost its lock or hit"
                    + " infrastructure faults", true);
        }
        Optional<JobCancelRequested> cancel = cancels.find(command);
        if (cancel.isPresent()) {
            return Settlement.cancelled(command, cancelNote(cancel.get()) + " before it started");
        }
        JobKind kind = command.spec().kind();
        if (handlers.find(kind).isEmpty()) {
            return Settlement.failed(command, JobHandlers.noHandlerReason(kind, settings.workerId()), false);
        }
        List<Violation> violations = SpecValidator.validate(command.spec());
        if (!violations.isEmpty()) {
            return Settlement.failed(command, "invalid spec: "
                    + violations.stream().map(Violation::toString).collect(Collectors.joining("; ")), false);
        }
        return null;
    }

    /** Waits for the running job until something is due: its end, a heartbeat, a renewal, the shutdown deadline. */
    private void tend(Active current) throws InterruptedException {
        RecordLease lease = current.lease();
        JobExecution job = current.execution();
        long heartbeatNanos = settings.heartbeatInterval().toNanos();
        long now = System.nanoTime();
        if (stopping && now - shutdownDeadline >= 0 && !job.isDone()) {
            job.abandon();
            finish(current, Settlement.released("job did not stop within the shutdown timeout of "
                    + settings.shutdownTimeout()));
            return;
        }
        long wakeAt = Math.min(lease.renewDueAt(), job.lastEventNanos() + heartbeatNanos);
        if (stopping) {
            wakeAt = Math.min(wakeAt, shutdownDeadline);
        }
        Completion completion = job.await(wakeAt - now);
        if (completion != null) {
            finish(current, Settlement.of(job.command(), completion, job.stop()));
            return;
        }
        now = System.nanoTime();
        if (now - job.lastEventNanos() >= heartbeatNanos) {
            job.heartbeat();
        }
        if (now - lease.renewDueAt() >= 0) {
            Optional<ConsumerRecord<String, byte[]>> renewed = renew(lease.record(), lockDuration());
            if (renewed.isPresent()) {
                lease.renewed(renewed.get(), now);
            } else {
                lockLost(current);
            }
        }
    }

    /**
     * Renews the lock on a record that the last poll handed out and takes the renewed record back
     * (the next poll returns it); empty when the lock is not this consumer's any more.
     */
    private Optional<ConsumerRecord<String, byte[]>> renew(ConsumerRecord<String, byte[]> record, Duration lock) {
        long deadline = System.nanoTime() + lock.toNanos();
        consumer.acknowledge(record, AcknowledgeType.RENEW);
        try {
            Optional<KafkaException> refused = consumer.commitSync(COMMIT_TIMEOUT).values().stream()
                    .flatMap(Optional::stream).findFirst();
            if (refused.isPresent()) {
                LOG.infof("Renewing the lock on %s refused: %s", describe(record), refused.get().getMessage());
                return Optional.empty();
            }
        } catch (KafkaException e) {
            // The outcome is unknown: the record comes back below if the renewal went through.
            LOG.warnf("Renewing the lock on %s: %s", describe(record), e.getMessage());
        }
        while (System.nanoTime() - deadline < 0) {
            for (ConsumerRecord<String, byte[]> polled : consumer.poll(RENEW_POLL)) {
                if (RecordLease.sameRecord(polled, record)) {
                    return Optional.of(polled);
                }
                release(polled, "worker busy renewing " + describe(record));
            }
        }
        return Optional.empty();
    }

    /** The record went to another delivery: stop the job, publish and acknowledge nothing for it. */
    private void lockLost(Active current) throws InterruptedException {
        JobExecution job = current.execution();
        job.requestStop(StopReason.LOCK_LOST, "lost the lock on the command");
        job.retire();
        if (job.await(settings.shutdownTimeout().toNanos()) == null) {
            job.abandon();
        }
        active = null;
        LOG.warnf("Job %s attempt %d lost the lock on its command %s; stopped it, the command goes to its next delivery",
                job.command().jobId(), job.command().attempt(), describe(current.lease().record()));
    }

    private void finish(Active current, Settlement settlement) {
        current.execution().retire();
        active = null;
        settle(current.lease().record(), current.execution().command(), settlement);
    }

    /** Publishes the settlement's event and waits for its ack, then acknowledges; a failed publish releases. */
    private void settle(ConsumerRecord<String, byte[]> record, JobCommand command, Settlement settlement) {
        Settlement done = settlement;
        if (settlement.hasEvent()) {
            try {
                publisher.publishAndWait(settlement.type(), settlement.event());
            } catch (PublishException e) {
                done = Settlement.released(e.getMessage());
            }
        }
        consumer.acknowledge(record, done.ack());
        commit();
        LOG.infof("Job %s attempt %d %s", command.jobId(), command.attempt(), done.summary());
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        AcknowledgeType ack = AcknowledgeType.ACCEPT;
        try {
            publisher.deadLetter(record, reason, settings.consumerName());
            LOG.warnf("Record %s sent to the DLQ: %s", describe(record), reason);
        } catch (PublishException e) {
            LOG.warnf("Record %s is unreadable (%s) and the DLQ did not take it: %s", describe(record), reason,
                    e.getMessage());
            ack = AcknowledgeType.RELEASE;
        }
        consumer.acknowledge(record, ack);
        commit();
    }

    private void release(ConsumerRecord<String, byte[]> record, String why) {
        consumer.acknowledge(record, AcknowledgeType.RELEASE);
        LOG.infof("Released %s: %s", describe(record), why);
    }

    /** Commits acknowledgements now rather than with the next poll, and logs any the broker refused. */
    private void commit() {
        try {
            consumer.commitSync(COMMIT_TIMEOUT).forEach((partition, error) -> error.ifPresent(e -> LOG.warnf(
                    "Acknowledgement on %s refused (%s): if the lock had expired, the command is delivered again",
                    partition, e.getMessage())));
        } catch (KafkaException e) {
            LOG.warnf("Committing acknowledgements failed: %s", e.getMessage());
        }
    }

    private Duration lockDuration() {
        return consumer.acquisitionLockTimeoutMs().map(Duration::ofMillis).orElse(settings.lockDuration());
    }

    /** Called on the control reader's thread for every cancel request. */
    private void onCancelRequested(JobCancelRequested request) {
        Active current = active;
        if (current != null && CancelRegistry.covers(request, current.execution().command())) {
            current.execution().requestStop(StopReason.CANCEL, cancelNote(request));
        }
    }

    private static String cancelNote(JobCancelRequested request) {
        return "cancelled by " + (request.requestedBy() == null ? "a user" : request.requestedBy());
    }

    private static String describe(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private void closeConsumer() {
        try {
            consumer.close(settings.closeTimeout());
        } catch (KafkaException e) {
            LOG.warnf("Closing the command consumer: %s", e.getMessage());
        }
    }
}
