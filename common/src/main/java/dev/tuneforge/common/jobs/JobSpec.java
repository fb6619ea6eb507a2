package dev.tuneforge.common.jobs;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** What a job does. On the wire the {@code kind} property selects the record. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = TrainSpec.class, name = "train"),
    @JsonSubTypes.Type(value = GenerateSpec.class, name = "generate"),
    @JsonSubTypes.Type(value = EvaluateSpec.class, name = "evaluate")
})
public sealed interface JobSpec permits TrainSpec, GenerateSpec, EvaluateSpec {
    @JsonIgnore
    JobKind kind();

    /** Base model the job runs on (a registered model id). */
    String modelId();
}
