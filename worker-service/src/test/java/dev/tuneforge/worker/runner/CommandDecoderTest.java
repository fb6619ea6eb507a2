package dev.tuneforge.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.common.Topics;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.InvalidEventException;
import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.events.JobStarted;
import dev.tuneforge.common.jobs.JobKind;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class CommandDecoderTest {
    private final EventCodec codec = new EventCodec();
    private final CommandDecoder decoder = new CommandDecoder(codec, Map.of(
            JobKind.TRAIN, Topics.JOBS_TRAIN, JobKind.GENERATE, Topics.JOBS_GENERATE, JobKind.EVALUATE, Topics.JOBS_EVALUATE));
    private final JobCommand command = Commands.train();

    @Test
    void decodesACommandOnItsKindsTopic() {
        assertThat(decoder.decode(record(Topics.JOBS_TRAIN, encode(EventType.JOB_REQUESTED, command)))).isEqualTo(command);
    }

    @Test
    void rejectsWhatIsNotJson() {
        assertThatThrownBy(() -> decoder.decode(record(Topics.JOBS_TRAIN, "{not json".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("malformed JSON");
    }

    @Test
    void rejectsAnUnknownType() {
        String json = new String(encode(EventType.JOB_REQUESTED, command), StandardCharsets.UTF_8)
                .replace("dev.tuneforge.job.requested", "dev.tuneforge.job.exploded");
        assertThatThrownBy(() -> decoder.decode(record(Topics.JOBS_TRAIN, json.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(InvalidEventException.class).hasMessage("unknown event type 'dev.tuneforge.job.exploded'");
    }

    @Test
    void rejectsAnUnknownSchemaVersion() {
        String json = new String(encode(EventType.JOB_REQUESTED, command), StandardCharsets.UTF_8)
                .replace(":v1\"", ":v9\"");
        assertThatThrownBy(() -> decoder.decode(record(Topics.JOBS_TRAIN, json.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("unsupported dataschema");
    }

    @Test
    void rejectsAnotherEventOnACommandTopic() {
        byte[] started = encode(EventType.JOB_STARTED, new JobStarted(command.jobId(), 1, "w", null));
        assertThatThrownBy(() -> decoder.decode(record(Topics.JOBS_TRAIN, started)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("a dev.tuneforge.job.started event on command topic tuneforge.jobs.train: only "
                        + "dev.tuneforge.job.requested belongs there");
    }

    @Test
    void rejectsACommandOnAnotherKindsTopic() {
        assertThatThrownBy(() -> decoder.decode(record(Topics.JOBS_GENERATE, encode(EventType.JOB_REQUESTED, command))))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("a 'train' command on topic tuneforge.jobs.generate: train commands belong on tuneforge.jobs.train");
    }

    private byte[] encode(EventType type, dev.tuneforge.common.events.JobEventData data) {
        return codec.encode(codec.wrap(type, "/test", data));
    }

    private static ConsumerRecord<String, byte[]> record(String topic, byte[] value) {
        return new ConsumerRecord<>(topic, 0, 0L, "key", value);
    }
}
