package dev.tuneforge.api.web;

import dev.tuneforge.common.jobs.Violation;

/** Query parameters every list shares. */
final class QueryParams {
    private QueryParams() {
    }

    /** {@code value} as an integer in [min, max], {@code fallback} when absent; a 400 naming {@code name} otherwise. */
    static int intParam(String name, String value, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below, like an out-of-range number
        }
        throw new InvalidRequestException(new Violation(name, "must be an integer between " + min + " and " + max
                + ", was '" + value + "'"));
    }
}
