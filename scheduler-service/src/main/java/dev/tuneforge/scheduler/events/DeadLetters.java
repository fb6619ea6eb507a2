package dev.tuneforge.scheduler.events;

import dev.tuneforge.common.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Parks records the scheduler cannot use on {@code tuneforge.dlq}: the original key, value and
 * headers, plus why ({@link Topics#DLQ_REASON_HEADER}), from where and by whom. Returns only once
 * the broker has acknowledged the record, so the source offset is committed after it is safe.
 */
@ApplicationScoped
public class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final MutinyEmitter<byte[]> emitter;
    private final String consumer;

    public DeadLetters(@Channel("dlq") MutinyEmitter<byte[]> emitter,
            @ConfigProperty(name = "mp.messaging.incoming.job-events.group.id") String consumer) {
        this.emitter = emitter;
        this.consumer = consumer;
    }

    public void send(ConsumerRecord<byte[], byte[]> record, String reason) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(Topics.DLQ_REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.DLQ_SOURCE_TOPIC_HEADER, record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.DLQ_CONSUMER_HEADER, consumer.getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<byte[]> metadata = OutgoingKafkaRecordMetadata.<byte[]>builder()
                .withKey(record.key())
                .withHeaders(headers)
                .build();
        byte[] value = record.value() == null ? new byte[0] : record.value();
        emitter.sendMessageAndAwait(Message.of(value).addMetadata(metadata));
        LOG.warnf("record %s-%d@%d sent to the DLQ: %s", record.topic(), record.partition(), record.offset(), reason);
    }
}
