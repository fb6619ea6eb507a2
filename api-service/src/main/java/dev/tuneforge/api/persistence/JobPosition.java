package dev.tuneforge.api.persistence;

import java.time.Instant;
import java.util.UUID;

/** Where a page of jobs ends: the sort key (created_at, id) of its last row. */
public record JobPosition(Instant createdAt, UUID id) {
}
