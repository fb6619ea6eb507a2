package dev.tuneforge.api.outbox;

import java.util.UUID;

/** CDI event: a row was added to the outbox in the current transaction. */
public record OutboxAppended(UUID jobId) {
}
