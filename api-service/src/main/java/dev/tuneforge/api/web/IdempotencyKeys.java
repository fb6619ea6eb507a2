package dev.tuneforge.api.web;

import dev.tuneforge.api.config.ApiConfig;
import dev.tuneforge.common.jobs.Violation;

/** The {@code Idempotency-Key} header of job and workflow submissions. */
final class IdempotencyKeys {
    static final String HEADER = "Idempotency-Key";

    private IdempotencyKeys() {
    }

    /** The key as sent, or null when there is none; a 400 naming the header if blank, too long or not plain ASCII. */
    static String checked(String key, ApiConfig config) {
        if (key == null) {
            return null;
        }
        int max = config.jobs().maxIdempotencyKeyLength();
        if (key.isBlank() || key.length() > max || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new InvalidRequestException(new Violation(HEADER,
                    "must be 1-" + max + " printable ASCII characters without spaces"));
        }
        return key;
    }
}
