package dev.tuneforge.api.web;

import dev.tuneforge.api.persistence.AssetPosition;
import dev.tuneforge.api.persistence.JobPosition;
import dev.tuneforge.common.jobs.Violation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * The opaque {@code cursor} of job, dataset, model and audit lists: the sort key of a page's last row (the audit
 * log's is its seq), base64url-encoded so clients pass it back without reading it. The version prefix lets the
 * format change later.
 */
final class PageCursor {
    private static final String VERSION = "v1";
    private static final String SEQ = "seq";

    private PageCursor() {
    }

    static String encode(JobPosition position) {
        return encode(position.createdAt(), position.id().toString());
    }

    static String encode(AssetPosition position) {
        return encode(position.createdAt(), position.id());
    }

    static JobPosition decode(String cursor) {
        return decode(cursor, (at, id) -> new JobPosition(at, UUID.fromString(id)));
    }

    static AssetPosition decodeAsset(String cursor) {
        return decode(cursor, AssetPosition::new);
    }

    static String encodeSeq(long seq) {
        return base64(VERSION + ":" + SEQ + ":" + seq);
    }

    static long decodeSeq(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            if (parts.length != 3 || !VERSION.equals(parts[0]) || !SEQ.equals(parts[1])) {
                throw new IllegalArgumentException("unknown cursor format");
            }
            long seq = Long.parseLong(parts[2]);
            if (seq < 0) {
                throw new IllegalArgumentException("negative seq");
            }
            return seq;
        } catch (IllegalArgumentException e) {
            throw notACursor();
        }
    }

    private static String encode(Instant createdAt, String id) {
        return base64(VERSION + ":" + createdAt.getEpochSecond() + ":" + createdAt.getNano() + ":" + id);
    }

    private static String base64(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static <T> T decode(String cursor, BiFunction<Instant, String, T> position) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            if (parts.length != 4 || !VERSION.equals(parts[0])) {
                throw new IllegalArgumentException("unknown cursor format");
            }
            Instant at = Instant.ofEpochSecond(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
            return position.apply(at, parts[3]);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw notACursor();
        }
    }

    private static InvalidRequestException notACursor() {
        return new InvalidRequestException(new Violation("cursor",
                "not a cursor this API issued; pass the 'next' value of the previous page unchanged"));
    }
}
