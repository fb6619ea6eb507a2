package dev.tuneforge.worker.testing;

import dev.tuneforge.common.Topics;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCancelRequested;
import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.events.JobEventData;
import dev.tuneforge.common.events.TypedEvent;
import dev.tuneforge.common.jobs.JobSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The tests' side of Kafka: publishes commands, raw records and cancel requests the way the
 * platform does (CloudEvents JSON, key = job id) and reads what the worker publishes on the events
 * topic and the DLQ with a plain consumer (all partitions, from the beginning; records are told
 * apart by job id or key, so tests never see each other's).
 */
public final class TestKafka implements AutoCloseable {
    private final EventCodec codec = new EventCodec();
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> reader;
    private final Map<UUID, List<TypedEvent<JobEventData>>> events = new ConcurrentHashMap<>();
    private final Map<String, List<ConsumerRecord<String, byte[]>>> deadLetters = new ConcurrentHashMap<>();
    private final String eventsTopic;

    public TestKafka(String bootstrapServers) {
        this(bootstrapServers, Topics.JOB_EVENTS);
    }

    public TestKafka(String bootstrapServers, String eventsTopic) {
        this.eventsTopic = eventsTopic;
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers, "enable.idempotence", true,
                "acks", "all", "key.serializer", StringSerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName()));
        reader = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers, "enable.auto.commit", false,
                "key.deserializer", StringDeserializer.class.getName(),
                "value.deserializer", ByteArrayDeserializer.class.getName()));
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(eventsTopic, Topics.DLQ)) {
            reader.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        reader.assign(partitions);
        reader.seekToBeginning(partitions);
    }

    public static JobCommand command(JobSpec spec) {
        return new JobCommand(UUID.randomUUID(), 1, "local", "tester", spec);
    }

    /** Publishes the command on its kind's topic and waits for the broker's ack. */
    public JobCommand submit(JobCommand command) {
        return submit(command, command.spec().kind().topic());
    }

    public JobCommand submit(JobCommand command, String topic) {
        send(topic, command.jobId().toString(), codec.encode(codec.wrap(EventType.JOB_REQUESTED, "/tests", command)));
        return command;
    }

    public void cancel(UUID jobId, int attempt, String by) {
        send(Topics.JOB_CONTROL, jobId.toString(),
                codec.encode(codec.wrap(EventType.JOB_CANCEL_REQUESTED, "/tests", new JobCancelRequested(jobId, attempt, by))));
    }

    public void send(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish to " + topic, e.getCause());
        }
    }

    /** Every event published so far for the job, in order. */
    public List<TypedEvent<JobEventData>> events(UUID jobId) {
        read();
        return List.copyOf(events.getOrDefault(jobId, List.of()));
    }

    public List<EventType> types(UUID jobId) {
        return events(jobId).stream().map(TypedEvent::type).toList();
    }

    /** The job's first event of {@code type}, if published yet. */
    public <T extends JobEventData> Optional<T> first(UUID jobId, EventType type, Class<T> payload) {
        return events(jobId).stream().filter(e -> e.type() == type).map(e -> payload.cast(e.data())).findFirst();
    }

    public long count(UUID jobId, EventType type) {
        return types(jobId).stream().filter(type::equals).count();
    }

    /** DLQ records with this key. */
    public List<ConsumerRecord<String, byte[]>> deadLetters(String key) {
        read();
        return List.copyOf(deadLetters.getOrDefault(key, List.of()));
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private synchronized void read() {
        for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
            if (record.topic().equals(eventsTopic)) {
                TypedEvent<JobEventData> event = codec.decode(record.value());
                events.computeIfAbsent(event.data().jobId(), id -> new CopyOnWriteArrayList<>()).add(event);
            } else if (record.key() != null) {
                deadLetters.computeIfAbsent(record.key(), k -> new CopyOnWriteArrayList<>()).add(record);
            }
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        reader.close(Duration.ofSeconds(5));
    }
}
