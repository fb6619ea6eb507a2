package dev.tuneforge.api.assets;

/** An upload over a configured count or size limit. */
public class UploadTooLargeException extends RuntimeException {
    public UploadTooLargeException(String message) {
        super(message);
    }
}
