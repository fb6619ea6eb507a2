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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.jboss.logging.Logger;

/**
 * The consumer thread of a worker: takes one command at a time from the share group, runs it on a
 * {@link JobExecution} and settles its record.
 *
 * <p>The sequence for one command record (explicit acknowledgement, one record per poll):
 * <ol>
 *   <li>poll returns the record: decode it (unreadable → DLQ with the reason, ACCEPT), screen it
 *       (too many deliveries, cancelled before it started, no handler, invalid spec → terminal
 *       event, ACCEPT), else publish {@code job.started}, wait for its ack, start the handler;</li>
 *   <li>while the handler runs, the consumer thread waits for it up to the next renewal (a third of
 *       the lock duration), sending a heartbeat whenever the job was silent for the heartbeat
 *       interval; then acknowledges the record with RENEW and polls again, briefly, until the poll
 *       hands the renewed record back, and waits again. The consumer is never left unpolled with an
 *       unacknowledged record for longer than a renewal interval;</li>
 *   <li>when the handler ends while the record is held: publish the terminal event, wait for the
 *       broker's ack, and only then ACCEPT (or RELEASE without event, see {@link Settlement}), then
 *       commit the acknowledgement synchronously;</li>
 *   <li>if a renewed record does not come back (its acknowledgement failed, or a lock duration
 *       passed), the lock is lost: the handler is asked to stop and nothing is published for it —
 *       the command belongs to its next delivery now.</li>
 * </ol>
 * A record that arrives while a job runs (not expected with one record per poll) is released, and
 * so is one that arrives during shutdown.
 */
final class CommandLoop implements Runnable {
    private static final Logger LOG = Logger.getLogger(CommandLoop.class);
    /** Poll while a job runs: short, so that a renewed record is taken back and acknowledged promptly. */
    private static final Duration BUSY_POLL = Duration.ofMillis(100);
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
            consumer.setAcknowledgementCommitCallback(this::onAcknowledged);
            consumer.subscribe(topics);
            LOG.infof("Worker %s takes commands from %s", settings.workerId(), topics);
            while (!stopping || active != null) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(active == null ? settings.pollTimeout() : BUSY_POLL)) {
                    take(record);
                }
                Active current = active;
                if (current != null) {
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

    private void take(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        Active current = active;
        if (current != null) {
            if (current.lease().isRecord(record)) {
                current.lease().returned(record);
            } else {
                release(record, "worker busy with job " + current.execution().command().jobId());
            }
            return;
        }
        if (stopping) {
            release(record, "worker shutting down");
            return;
        }
        begin(record);
    }

    private void begin(ConsumerRecord<String, byte[]> record) {
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
        Duration lock = consumer.acquisitionLockTimeoutMs().map(Duration::ofMillis).orElse(settings.lockDuration());
        active = new Active(new RecordLease(record, lock, System.nanoTime()), execution);
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

    /** Waits for the running job while its record needs nothing, renews the lock, settles at the end. */
    private void tend(Active current) throws InterruptedException {
        RecordLease lease = current.lease();
        JobExecution job = current.execution();
        if (!lease.held()) {
            awaitRenewal(current);
            return;
        }
        long heartbeatNanos = settings.heartbeatInterval().toNanos();
        while (true) {
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
                consumer.acknowledge(lease.record(), AcknowledgeType.RENEW);
                lease.renewing(now);
                return;
            }
        }
    }

    /** A RENEW is on its way: the record comes back with a later poll, or the lock is lost. */
    private void awaitRenewal(Active current) {
        RecordLease lease = current.lease();
        JobExecution job = current.execution();
        long now = System.nanoTime();
        if (lease.expired(now)) {
            lease.lose("the renewed record did not come back within the lock duration");
        }
        boolean shutdownOver = stopping && now - shutdownDeadline >= 0;
        if (!lease.lost() && !shutdownOver) {
            return;
        }
        String why = lease.lost() ? "lost the lock on the command (" + lease.lostReason() + ")"
                : "shutdown timeout passed while the lock was being renewed";
        job.requestStop(StopReason.LOCK_LOST, why);
        if (job.isDone() || shutdownOver) {
            job.abandon();
            active = null;
            LOG.warnf("Job %s attempt %d: %s; nothing published, the command goes to its next delivery",
                    job.command().jobId(), job.command().attempt(), why);
        }
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
            LOG.warnf("Record %s-%d@%d sent to the DLQ: %s", record.topic(), record.partition(), record.offset(), reason);
        } catch (PublishException e) {
            LOG.warnf("Record %s-%d@%d is unreadable (%s) and the DLQ did not take it: %s", record.topic(),
                    record.partition(), record.offset(), reason, e.getMessage());
            ack = AcknowledgeType.RELEASE;
        }
        consumer.acknowledge(record, ack);
        commit();
    }

    private void release(ConsumerRecord<String, byte[]> record, String why) {
        consumer.acknowledge(record, AcknowledgeType.RELEASE);
        LOG.infof("Released %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), why);
    }

    /** Commits acknowledgements now rather than with the next poll, and logs any the broker refused. */
    private void commit() {
        try {
            Map<TopicIdPartition, Optional<KafkaException>> results = consumer.commitSync(COMMIT_TIMEOUT);
            results.forEach((partition, error) -> error.ifPresent(e -> LOG.warnf(
                    "Acknowledgement on %s not committed (%s): if the lock had expired the command will be delivered again",
                    partition, e.getMessage())));
        } catch (KafkaException e) {
            LOG.warnf("Committing acknowledgements failed: %s", e.getMessage());
        }
    }

    /** Called on the consumer thread when acknowledgements were committed, or failed to be. */
    private void onAcknowledged(Map<TopicIdPartition, Set<Long>> offsets, Exception error) {
        Active current = active;
        if (error == null || current == null) {
            return;
        }
        ConsumerRecord<String, byte[]> record = current.lease().record();
        offsets.forEach((partition, acknowledged) -> {
            if (partition.topic().equals(record.topic()) && partition.partition() == record.partition()
                    && acknowledged.contains(record.offset())) {
                current.lease().lose(error.getMessage());
            }
        });
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

    private void closeConsumer() {
        try {
            consumer.close(settings.closeTimeout());
        } catch (KafkaException e) {
            LOG.warnf("Closing the command consumer: %s", e.getMessage());
        }
    }
}
