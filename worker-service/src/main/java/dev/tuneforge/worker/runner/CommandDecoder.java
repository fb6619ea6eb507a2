package dev.tuneforge.worker.runner;

import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.InvalidEventException;
import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.events.JobEventData;
import dev.tuneforge.common.events.TypedEvent;
import dev.tuneforge.common.jobs.JobKind;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns a command-topic record into a {@link JobCommand}, or throws {@link InvalidEventException}
 * with the reason the record goes to the DLQ: not a CloudEvent, an unknown type or schema version,
 * an event other than {@code job.requested}, or a command on another kind's topic.
 */
final class CommandDecoder {
    private final EventCodec codec;
    private final Map<JobKind, String> topics;

    CommandDecoder(EventCodec codec, Map<JobKind, String> topics) {
        this.codec = codec;
        this.topics = new EnumMap<>(topics);
    }

    JobCommand decode(ConsumerRecord<String, byte[]> record) {
        TypedEvent<JobEventData> event = codec.decode(record.value());
        if (event.type() != EventType.JOB_REQUESTED) {
            throw new InvalidEventException("a " + event.type().type() + " event on command topic " + record.topic()
                    + ": only " + EventType.JOB_REQUESTED.type() + " belongs there");
        }
        JobCommand command = (JobCommand) event.data();
        JobKind kind = command.spec().kind();
        String expected = topics.get(kind);
        if (!record.topic().equals(expected)) {
            throw new InvalidEventException("a '" + kind.wireName() + "' command on topic " + record.topic()
                    + ": " + kind.wireName() + " commands belong on " + expected);
        }
        return command;
    }
}
