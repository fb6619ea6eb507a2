package dev.tuneforge.api.auth;

/** The request carries no usable API key (missing, malformed, unknown or revoked). */
public class UnauthenticatedException extends RuntimeException {
    public UnauthenticatedException(String message) {
        super(message);
    }
}
