package dev.tuneforge.api.persistence;

import dev.tuneforge.common.jobs.JobKind;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** {@code jobs.kind} holds the wire name ({@code train}, {@code generate}, {@code evaluate}). */
@Converter
public class JobKindConverter implements AttributeConverter<JobKind, String> {
    @Override
    public String convertToDatabaseColumn(JobKind kind) {
        return kind == null ? null : kind.wireName();
    }

    @Override
    public JobKind convertToEntityAttribute(String wireName) {
        return wireName == null ? null : JobKind.fromWire(wireName);
    }
}
