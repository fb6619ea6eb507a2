package dev.tuneforge.common.jobs;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.tuneforge.common.Topics;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The three kinds of work a worker does; each has its own command topic. */
public enum JobKind {
    TRAIN(Topics.JOBS_TRAIN),
    GENERATE(Topics.JOBS_GENERATE),
    EVALUATE(Topics.JOBS_EVALUATE);

    private final String topic;

    JobKind(String topic) {
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<JobKind> find(String wireName) {
        if (wireName == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(k -> k.wireName().equals(wireName)).findFirst();
    }

    @JsonCreator
    public static JobKind fromWire(String wireName) {
        return find(wireName).orElseThrow(() -> new IllegalArgumentException(
                "unknown job kind '" + wireName + "'; one of " + wireNames()));
    }

    public static String wireNames() {
        return Arrays.stream(values()).map(JobKind::wireName).collect(Collectors.joining(", "));
    }
}
