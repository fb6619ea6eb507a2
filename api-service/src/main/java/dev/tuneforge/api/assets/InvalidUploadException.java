package dev.tuneforge.api.assets;

import java.util.List;

/** An upload refused as a whole (nothing stored): every offending file with its reason. */
public class InvalidUploadException extends RuntimeException {
    private final transient List<RejectedFile> files;

    public InvalidUploadException(String summary, List<RejectedFile> files) {
        super(summary);
        this.files = List.copyOf(files);
    }

    public List<RejectedFile> files() {
        return files;
    }
}
