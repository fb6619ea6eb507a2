package dev.tuneforge.common.jobs;

/** One invalid field: its JSON path (e.g. {@code spec.lora.rank}) and what is wrong with it. */
public record Violation(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
