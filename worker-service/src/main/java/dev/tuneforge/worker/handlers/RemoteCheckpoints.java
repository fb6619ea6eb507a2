package dev.tuneforge.worker.handlers;

import dev.tuneforge.common.storage.ObjectKeys;
import dev.tuneforge.worker.engine.training.CheckpointStore;
import dev.tuneforge.worker.storage.ObjectStore;
import dev.tuneforge.worker.storage.StoredObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A training job's checkpoints in the bucket: {@code checkpointPrefix(tenant, job, step)} with the
 * trainer's files and {@code manifest.json} uploaded last. A folder without its manifest is an
 * upload cut short and does not count.
 */
final class RemoteCheckpoints {
    private static final Pattern MANIFEST = Pattern.compile(".*/checkpoints/step-(\\d+)/"
            + Pattern.quote(CheckpointStore.MANIFEST));

    private final ObjectStore store;
    private final String tenant;
    private final UUID job;

    RemoteCheckpoints(ObjectStore store, String tenant, UUID job) {
        this.store = store;
        this.tenant = tenant;
        this.job = job;
    }

    /** Steps of the complete checkpoints, ascending. */
    List<Integer> completeSteps() {
        return store.list(ObjectKeys.jobPrefix(tenant, job) + "checkpoints/").stream().map(StoredObject::key)
                .map(MANIFEST::matcher).filter(Matcher::matches).map(m -> Integer.parseInt(m.group(1))).sorted()
                .toList();
    }

    OptionalInt latest() {
        List<Integer> steps = completeSteps();
        return steps.isEmpty() ? OptionalInt.empty() : OptionalInt.of(steps.get(steps.size() - 1));
    }

    /** Downloads checkpoint {@code step} into {@code checkpointsRoot/step-N}, where the trainer looks for it. */
    void download(int step, Path checkpointsRoot) {
        String prefix = ObjectKeys.checkpointPrefix(tenant, job, step);
        store.download(prefix, store.list(prefix), checkpointsRoot.resolve("step-" + step));
    }

    /** Uploads a complete local checkpoint folder, manifest last; returns its location. */
    String upload(int step, Path dir) throws IOException {
        String prefix = ObjectKeys.checkpointPrefix(tenant, job, step);
        store.uploadDirectory(dir, prefix, CheckpointStore.MANIFEST);
        return store.location(prefix);
    }

    /** Deletes all but the newest {@code keep} checkpoints; each loses its manifest first, so it stops counting at once. */
    void keepNewest(int keep) {
        List<Integer> steps = completeSteps();
        for (int step : steps.subList(0, Math.max(0, steps.size() - keep))) {
            String prefix = ObjectKeys.checkpointPrefix(tenant, job, step);
            store.delete(ObjectKeys.child(prefix, CheckpointStore.MANIFEST));
            store.list(prefix).forEach(o -> store.delete(o.key()));
        }
    }
}
