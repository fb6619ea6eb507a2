package dev.tuneforge.api.assets;

/** A file of an upload that cannot be used, and why. */
public record RejectedFile(String file, String reason) {
}
