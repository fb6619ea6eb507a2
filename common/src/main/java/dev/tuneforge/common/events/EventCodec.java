package dev.tuneforge.common.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Builds, encodes and decodes TuneForge's CloudEvents. Decoding is strict about the envelope (the
 * attributes CloudEvents requires, a known type, a supported schema version) and reports every
 * problem as an {@link InvalidEventException} whose message is fit for a DLQ reason header.
 */
public final class EventCodec {
    private final ObjectMapper mapper;
    private final Clock clock;

    public EventCodec() {
        this(Clock.systemUTC());
    }

    public EventCodec(Clock clock) {
        this.clock = clock;
        this.mapper = newMapper();
    }

    /** The mapper configuration used for every TuneForge JSON payload (ISO timestamps, unknown fields tolerated). */
    public static ObjectMapper newMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** Wraps a payload in a new event with a fresh id; the subject is the payload's job id. */
    public CloudEvent wrap(EventType type, String source, JobEventData data) {
        return wrap(UUID.randomUUID(), type, source, data);
    }

    public CloudEvent wrap(UUID id, EventType type, String source, JobEventData data) {
        if (!type.payloadClass().isInstance(data)) {
            throw new IllegalArgumentException(type.type() + " carries " + type.payloadClass().getSimpleName()
                    + ", not " + data.getClass().getSimpleName());
        }
        return new CloudEvent(CloudEvent.SPEC_VERSION, id.toString(), source, type.type(),
                data.jobId().toString(), OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC),
                CloudEvent.JSON, type.dataschema(), mapper.valueToTree(data));
    }

    public byte[] encode(CloudEvent event) {
        try {
            return mapper.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode event " + event.id(), e);
        }
    }

    /** Parses the envelope only; throws {@link InvalidEventException} naming what is wrong. */
    public CloudEvent decodeEnvelope(byte[] value) {
        if (value == null || value.length == 0) {
            throw new InvalidEventException("empty record value: expected a CloudEvents JSON object");
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(value);
        } catch (IOException e) {
            throw new InvalidEventException("malformed JSON: " + firstLine(e.getMessage()), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidEventException("record value is not a JSON object");
        }
        for (String attribute : new String[] {"specversion", "id", "source", "type"}) {
            if (!tree.hasNonNull(attribute) || tree.get(attribute).asText().isBlank()) {
                throw new InvalidEventException("missing CloudEvents attribute '" + attribute + "'");
            }
        }
        if (!CloudEvent.SPEC_VERSION.equals(tree.get("specversion").asText())) {
            throw new InvalidEventException("unsupported CloudEvents specversion '"
                    + tree.get("specversion").asText() + "'; expected " + CloudEvent.SPEC_VERSION);
        }
        try {
            return mapper.treeToValue(tree, CloudEvent.class);
        } catch (IOException e) {
            throw new InvalidEventException("invalid CloudEvents envelope: " + firstLine(e.getMessage()), e);
        }
    }

    /** Parses envelope and payload, checking that type and schema version are known. */
    public TypedEvent<JobEventData> decode(byte[] value) {
        CloudEvent envelope = decodeEnvelope(value);
        EventType type = EventType.find(envelope.type()).orElseThrow(
                () -> new InvalidEventException("unknown event type '" + envelope.type() + "'"));
        if (!type.supportsSchema(envelope.dataschema())) {
            throw new InvalidEventException("unsupported dataschema '" + envelope.dataschema() + "' for "
                    + type.type() + "; this consumer reads " + type.dataschema());
        }
        if (envelope.data() == null || envelope.data().isNull()) {
            throw new InvalidEventException(type.type() + " event " + envelope.id() + " has no data");
        }
        JobEventData data;
        try {
            data = mapper.treeToValue(envelope.data(), type.payloadClass());
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidEventException("invalid " + type.type() + " payload: " + firstLine(e.getMessage()), e);
        }
        if (data == null || data.jobId() == null) {
            throw new InvalidEventException(type.type() + " payload has no jobId");
        }
        return new TypedEvent<>(envelope, type, data);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
