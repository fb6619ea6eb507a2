package dev.tuneforge.api.auth;

/**
 * Who makes the current request: the tenant whose jobs it may see and the API key's name, which is
 * recorded as {@code submitted_by}.
 */
public record Caller(String tenantId, String keyName) {
}
