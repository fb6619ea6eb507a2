package dev.tuneforge.api.persistence;

import java.time.Instant;

/** Where a page of datasets or models ends: the sort key (created_at, id) of its last row. */
public record AssetPosition(Instant createdAt, String id) {
}
