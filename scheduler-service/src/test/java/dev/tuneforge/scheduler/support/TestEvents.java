package dev.tuneforge.scheduler.support;

import dev.tuneforge.common.Topics;
import dev.tuneforge.common.events.CloudEvent;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobEventData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plays the worker: puts job events (good and bad) on {@code tuneforge.job-events}, and reads the DLQ. */
public final class TestEvents implements AutoCloseable {
    public static final String WORKER = "tuneforge/worker/test";

    private final EventCodec codec = new EventCodec();
    private final String bootstrapServers;
    private final KafkaProducer<String, byte[]> producer;

    public TestEvents(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    public CloudEvent event(EventType type, JobEventData data) {
        return codec.wrap(type, WORKER, data);
    }

    /** Publishes the events in order, keyed by their job id, and waits for the broker's acks. */
    public void send(CloudEvent... events) {
        for (CloudEvent event : events) {
            sendRaw(event.subject(), codec.encode(event));
        }
    }

    public CloudEvent send(EventType type, JobEventData data) {
        CloudEvent event = event(type, data);
        send(event);
        return event;
    }

    public void sendRaw(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(Topics.JOB_EVENTS, key, value)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot publish to " + Topics.JOB_EVENTS, e);
        }
    }

    public void sendRaw(String key, String value) {
        sendRaw(key, value.getBytes(StandardCharsets.UTF_8));
    }

    public EventCodec codec() {
        return codec;
    }

    /** Every record on the DLQ so far whose key is one of {@code keys}, read from the start. */
    public List<ConsumerRecord<String, byte[]>> deadLetters(List<String> keys, Duration within) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.DLQ));
            long deadline = System.nanoTime() + within.toNanos();
            while (found.size() < keys.size() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                    if (keys.contains(record.key())) {
                        found.add(record);
                    }
                });
            }
        }
        return found;
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** A CloudEvents JSON object with the given attributes changed, for records the scheduler must reject. */
    public String tampered(CloudEvent event, Map<String, String> attributes) {
        var tree = codec.mapper().<com.fasterxml.jackson.databind.node.ObjectNode>valueToTree(event);
        attributes.forEach(tree::put);
        return tree.toString();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
