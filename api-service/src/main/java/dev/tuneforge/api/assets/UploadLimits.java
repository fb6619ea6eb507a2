package dev.tuneforge.api.assets;

/** How much one upload may hold: files (after unzipping), bytes per file, bytes in all. */
public record UploadLimits(int maxFiles, long maxFileBytes, long maxTotalBytes) {

    public void checkCount(int files) {
        if (files > maxFiles) {
            throw new UploadTooLargeException(files + " files; at most " + maxFiles + " are accepted");
        }
    }

    public void checkTotal(long bytes) {
        if (bytes > maxTotalBytes) {
            throw new UploadTooLargeException("the files hold " + bytes + " bytes; at most " + maxTotalBytes
                    + " are accepted");
        }
    }
}
