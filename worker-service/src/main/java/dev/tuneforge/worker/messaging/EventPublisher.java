package dev.tuneforge.worker.messaging;

import dev.tuneforge.common.Topics;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobEventData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

/**
 * Publishes job events (CloudEvents JSON, key = job id) and dead letters through one idempotent
 * producer. Thread-safe: the job thread reports progress while the consumer thread sends heartbeats
 * and terminal events; per-job order is the order of the calls.
 */
public final class EventPublisher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    private final Producer<String, byte[]> producer;
    private final EventCodec codec;
    private final String source;
    private final String eventsTopic;
    private final String dlqTopic;
    private final Duration timeout;

    /**
     * @param source CloudEvents {@code source} of every event (this worker)
     * @param timeout how long {@link #publishAndWait} and {@link #deadLetter} wait for the broker's ack
     */
    public EventPublisher(Producer<String, byte[]> producer, EventCodec codec, String source,
            String eventsTopic, String dlqTopic, Duration timeout) {
        this.producer = producer;
        this.codec = codec;
        this.source = source;
        this.eventsTopic = eventsTopic;
        this.dlqTopic = dlqTopic;
        this.timeout = timeout;
    }

    /** Sends and returns once the broker acknowledged the event; throws {@link PublishException} otherwise. */
    public RecordMetadata publishAndWait(EventType type, JobEventData data) {
        String what = type.type() + " of job " + data.jobId();
        try {
            return await(producer.send(event(type, data)), what);
        } catch (KafkaException e) {
            throw new PublishException("cannot publish " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sends without waiting and logs a failure instead of throwing: for progress and heartbeats,
     * where the next one makes up for a lost one.
     */
    public void publishBestEffort(EventType type, JobEventData data) {
        Callback logFailure = (metadata, error) -> {
            if (error != null) {
                LOG.warnf("Could not publish %s of job %s: %s", type.type(), data.jobId(), error.getMessage());
            }
        };
        try {
            producer.send(event(type, data), logFailure);
        } catch (KafkaException e) {
            logFailure.onCompletion(null, e);
        }
    }

    /**
     * Copies a record that cannot be processed, key and value unchanged, to the DLQ with the reason,
     * its source topic and the consumer as headers; returns once the broker acknowledged it.
     */
    public RecordMetadata deadLetter(ConsumerRecord<String, byte[]> record, String reason, String consumer) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.DLQ_REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.DLQ_SOURCE_TOPIC_HEADER, record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.DLQ_CONSUMER_HEADER, consumer.getBytes(StandardCharsets.UTF_8));
        String what = "dead letter of " + record.topic() + "-" + record.partition() + "@" + record.offset();
        try {
            return await(producer.send(new ProducerRecord<>(dlqTopic, null, record.key(), record.value(), headers)), what);
        } catch (KafkaException e) {
            throw new PublishException("cannot publish " + what + ": " + e.getMessage(), e);
        }
    }

    /** Flushes what is in flight and closes the producer, waiting at most {@code closeTimeout}. */
    public void close(Duration closeTimeout) {
        producer.close(closeTimeout);
    }

    @Override
    public void close() {
        close(timeout);
    }

    private ProducerRecord<String, byte[]> event(EventType type, JobEventData data) {
        return new ProducerRecord<>(eventsTopic, data.jobId().toString(), codec.encode(codec.wrap(type, source, data)));
    }

    private RecordMetadata await(Future<RecordMetadata> sent, String what) {
        try {
            return sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new PublishException("broker did not take " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new PublishException("no ack for " + what + " within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while waiting for the ack of " + what, e);
        }
    }
}
