package dev.tuneforge.api.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneforge.api.config.ApiConfig;
import dev.tuneforge.api.persistence.JobRepository;
import dev.tuneforge.api.persistence.OutboxEntity;
import dev.tuneforge.api.persistence.OutboxRepository;
import dev.tuneforge.common.events.CloudEvent;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.InvalidEventException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

/**
 * One relay pass, in one database transaction: lock the oldest unsent outbox rows, publish them,
 * wait for the broker's acks, then mark the acked rows sent and move each job whose command was
 * acked from SUBMITTED to QUEUED. A job's rows go out one after another (its second row only once
 * the broker acked its first); rows of different jobs go out together. A job whose row failed
 * sends nothing more in this pass, so a job's records can never overtake each other.
 */
@ApplicationScoped
public class OutboxPublisher {
    private static final Logger LOG = Logger.getLogger(OutboxPublisher.class);
    /** Slack over the producer's own delivery timeout before a pass stops waiting for an ack. */
    private static final long ACK_WAIT_SLACK_MS = 5_000;

    private final OutboxRepository outbox;
    private final JobRepository jobs;
    private final RelayProducer producer;
    private final EventCodec codec;
    private final ApiConfig config;

    OutboxPublisher(OutboxRepository outbox, JobRepository jobs, RelayProducer producer, EventCodec codec,
            ApiConfig config) {
        this.outbox = outbox;
        this.jobs = jobs;
        this.producer = producer;
        this.codec = codec;
        this.config = config;
    }

    /**
     * What a pass did. {@code sent}: rows the broker acknowledged. {@code full}: it took a whole
     * batch without a failure, so more rows may be waiting.
     * {@code error}: why rows failed (null: none did). {@code outage}: the failure concerns every
     * row (broker or database unreachable), so the relay backs off; otherwise only the failed rows'
     * jobs wait, and the rest of the outbox keeps flowing.
     */
    public record PassResult(int sent, boolean full, String error, boolean outage) {
        static final PassResult NOTHING = new PassResult(0, false, null, false);

        static PassResult outage(String error) {
            return new PassResult(0, false, error, true);
        }
    }

    public PassResult publishPending() {
        // A pass waits for acks up to a few delivery timeouts; the transaction must outlive that.
        int timeoutSeconds = (int) (4 * (producer.deliveryTimeout().toSeconds() + ACK_WAIT_SLACK_MS / 1000));
        return QuarkusTransaction.requiringNew().timeout(timeoutSeconds).call(this::pass);
    }

    private PassResult pass() {
        int batchSize = config.relay().batchSize();
        List<OutboxEntity> rows = outbox.lockPending(batchSize);
        if (rows.isEmpty()) {
            return PassResult.NOTHING;
        }
        Map<UUID, Deque<OutboxEntity>> queues = queuesByJob(rows);
        Delivery delivery = deliver(queues);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (OutboxEntity row : delivery.acked) {
            outbox.markSent(row, now);
            commandAttempt(row).ifPresent(attempt -> jobs.markQueued(row.jobId, attempt));
        }
        delivery.failed.forEach(outbox::recordFailure);
        String error = delivery.failed.isEmpty() ? null : delivery.failed.values().iterator().next();
        return new PassResult(delivery.acked.size(), rows.size() == batchSize && delivery.failed.isEmpty(), error,
                delivery.brokerTrouble);
    }

    /**
     * The locked rows per job, in seq order. A job whose oldest unsent row is locked by another relay
     * instance is left to that instance this time, or its rows could go out of order.
     */
    private Map<UUID, Deque<OutboxEntity>> queuesByJob(List<OutboxEntity> rows) {
        Map<UUID, Deque<OutboxEntity>> queues = new LinkedHashMap<>();
        for (OutboxEntity row : rows) {
            queues.computeIfAbsent(row.jobId, id -> new ArrayDeque<>()).add(row);
        }
        Map<UUID, Long> oldest = outbox.oldestPendingSeq(queues.keySet());
        queues.entrySet().removeIf(queue -> oldest.getOrDefault(queue.getKey(), Long.MAX_VALUE)
                < queue.getValue().peekFirst().seq);
        return queues;
    }

    private static final class Delivery {
        final List<OutboxEntity> acked = new ArrayList<>();
        final Map<OutboxEntity, String> failed = new LinkedHashMap<>();
        boolean brokerTrouble;
    }

    private record InFlight(OutboxEntity row, Future<RecordMetadata> ack) {
    }

    /** Sends in waves: wave n holds the n-th row of each job still in the running. */
    private Delivery deliver(Map<UUID, Deque<OutboxEntity>> queues) {
        Delivery delivery = new Delivery();
        while (!queues.isEmpty() && !delivery.brokerTrouble) {
            List<InFlight> wave = sendWave(queues, delivery);
            for (InFlight sent : wave) {
                String error = awaitAck(sent.ack, delivery);
                if (error == null) {
                    delivery.acked.add(sent.row);
                } else {
                    delivery.failed.put(sent.row, error);
                    queues.remove(sent.row.jobId);
                }
            }
        }
        return delivery;
    }

    private List<InFlight> sendWave(Map<UUID, Deque<OutboxEntity>> queues, Delivery delivery) {
        List<InFlight> wave = new ArrayList<>();
        Iterator<Deque<OutboxEntity>> it = queues.values().iterator();
        while (it.hasNext()) {
            Deque<OutboxEntity> queue = it.next();
            OutboxEntity row = queue.pollFirst();
            if (queue.isEmpty()) {
                it.remove();
            }
            Future<RecordMetadata> ack = send(row);
            wave.add(new InFlight(row, ack));
            if (ack.isDone() && failedRetriably(ack)) {
                // No metadata, broker unreachable: every further send would block for max.block.ms.
                delivery.brokerTrouble = true;
                break;
            }
        }
        return wave;
    }

    private Future<RecordMetadata> send(OutboxEntity row) {
        try {
            return producer.send(row.topic, row.recordKey, row.payload);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Null when the broker acked, else why not. */
    private String awaitAck(Future<RecordMetadata> ack, Delivery delivery) {
        try {
            ack.get(producer.deliveryTimeout().toMillis() + ACK_WAIT_SLACK_MS, TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            delivery.brokerTrouble |= isBrokerTrouble(cause);
            return describe(cause);
        } catch (TimeoutException e) {
            delivery.brokerTrouble = true;
            return "no broker acknowledgement within " + (producer.deliveryTimeout().toMillis() + ACK_WAIT_SLACK_MS) + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            delivery.brokerTrouble = true;
            return "interrupted while waiting for the broker";
        }
    }

    private static boolean failedRetriably(Future<RecordMetadata> ack) {
        try {
            ack.get(0, TimeUnit.MILLISECONDS);
            return false;
        } catch (ExecutionException e) {
            return isBrokerTrouble(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    /**
     * Timeouts and connection errors concern every row, so the pass stops; a record-specific
     * error (too large, invalid topic) only holds back that row's job.
     */
    private static boolean isBrokerTrouble(Throwable error) {
        return error instanceof RetriableException || !(error instanceof KafkaException);
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** The attempt of a {@code job.requested} row, which moves its job to QUEUED once acked. */
    private Optional<Integer> commandAttempt(OutboxEntity row) {
        try {
            CloudEvent event = codec.decodeEnvelope(row.payload);
            JsonNode attempt = event.data() == null ? null : event.data().get("attempt");
            if (EventType.JOB_REQUESTED.type().equals(event.type()) && attempt != null && attempt.canConvertToInt()) {
                return Optional.of(attempt.intValue());
            }
        } catch (InvalidEventException e) {
            LOG.warnf("outbox row %d (%s) holds no valid CloudEvent: %s", row.seq, row.topic, e.getMessage());
        }
        return Optional.empty();
    }
}
