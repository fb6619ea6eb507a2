package dev.tuneforge.common.storage;

import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The only place object-store keys are built (DESIGN §5). Every segment is checked: no empty
 * segment, no {@code .} or {@code ..}, no slash or backslash, no control characters, nothing absolute,
 * so a user-supplied name can never address another tenant's or job's objects.
 */
public final class ObjectKeys {
    public static final String BUCKET = "tuneforge";
    /** The file a worker uploads last into a checkpoint folder: without it the folder is incomplete and ignored. */
    public static final String CHECKPOINT_MANIFEST = "manifest.json";
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "webp");

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._ -]{0,254}");

    private ObjectKeys() {
    }

    public static String datasetPrefix(String tenant, String datasetId) {
        return tenantPrefix(tenant) + "datasets/" + segment("datasetId", datasetId) + "/";
    }

    public static String datasetImage(String tenant, String datasetId, String name, String extension) {
        String ext = segment("extension", extension).toLowerCase(Locale.ROOT);
        if (!IMAGE_EXTENSIONS.contains(ext)) {
            throw new IllegalArgumentException("extension: '" + extension + "' is not an image type; one of "
                    + IMAGE_EXTENSIONS);
        }
        return datasetPrefix(tenant, datasetId) + "images/" + segment("name", name) + "." + ext;
    }

    public static String datasetCaption(String tenant, String datasetId, String name) {
        return datasetPrefix(tenant, datasetId) + "captions/" + segment("name", name) + ".txt";
    }

    public static String modelPrefix(String tenant, String modelId) {
        return tenantPrefix(tenant) + "models/" + segment("modelId", modelId) + "/";
    }

    public static String jobPrefix(String tenant, UUID jobId) {
        return tenantPrefix(tenant) + "jobs/" + jobId + "/";
    }

    public static String checkpointPrefix(String tenant, UUID jobId, int step) {
        return jobPrefix(tenant, jobId) + "checkpoints/" + step(step) + "/";
    }

    public static String samplesPrefix(String tenant, UUID jobId, int step) {
        return jobPrefix(tenant, jobId) + "samples/" + step(step) + "/";
    }

    public static String sample(String tenant, UUID jobId, int step, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("index: must be >= 0, was " + index);
        }
        return samplesPrefix(tenant, jobId, step) + index + ".png";
    }

    public static String evalMetrics(String tenant, UUID jobId, int step) {
        return jobPrefix(tenant, jobId) + "eval/" + step(step) + "/metrics.json";
    }

    public static String finalPrefix(String tenant, UUID jobId) {
        return jobPrefix(tenant, jobId) + "final/";
    }

    /** Where a workflow's best checkpoint is promoted to (a copy of its LoRA files); retention never deletes it. */
    public static String workflowBestPrefix(String tenant, UUID workflowId) {
        return tenantPrefix(tenant) + "workflows/" + workflowId + "/best/";
    }

    /** A file inside a prefix this class built, e.g. a checkpoint's {@code manifest.json}. */
    public static String child(String prefix, String relativePath) {
        if (!prefix.endsWith("/")) {
            throw new IllegalArgumentException("prefix must end with '/': " + prefix);
        }
        StringBuilder key = new StringBuilder(prefix);
        String[] parts = relativePath.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            key.append(segment("path", parts[i]));
            if (i < parts.length - 1) {
                key.append('/');
            }
        }
        return key.toString();
    }

    private static String tenantPrefix(String tenant) {
        return "tenants/" + segment("tenant", tenant) + "/";
    }

    private static String step(int step) {
        if (step < 0) {
            throw new IllegalArgumentException("step: must be >= 0, was " + step);
        }
        return "step-" + step;
    }

    /** Checks one key segment and returns it unchanged. */
    static String segment(String what, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(what + ": must not be empty");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException(what + ": control character at position " + i);
            }
        }
        if (value.equals(".") || value.equals("..") || value.contains("..")) {
            throw new IllegalArgumentException(what + ": '" + value + "' must not contain '..'");
        }
        if (value.contains("/") || value.contains("\\")) {
            throw new IllegalArgumentException(what + ": '" + value + "' must not contain a path separator");
        }
        if (!SAFE.matcher(value).matches()) {
            throw new IllegalArgumentException(what + ": '" + value
                    + "' must be letters, digits, '.', '_', '-' or spaces, starting with a letter or digit");
        }
        return value;
    }
}
