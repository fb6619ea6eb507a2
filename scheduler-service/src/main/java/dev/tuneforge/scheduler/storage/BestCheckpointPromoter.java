package dev.tuneforge.scheduler.storage;

import dev.tuneforge.common.storage.ObjectKeys;
import dev.tuneforge.storage.S3ObjectStore.Stored;
import dev.tuneforge.storage.S3ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Promotes a workflow's best checkpoint: a server-side copy of the checkpoint's files (its LoRA in the
 * trainer's naming and the manifest) under the workflow's {@code best/} prefix, which retention never
 * deletes. The manifest is copied last, as the worker uploads it, so a {@code best/} folder cut short
 * by a crash does not count; a redelivered event copies the same bytes again, so promoting twice is
 * harmless.
 */
@ApplicationScoped
public class BestCheckpointPromoter {
    private final S3ObjectStore store;

    BestCheckpointPromoter(S3ObjectStore store) {
        this.store = store;
    }

    /**
     * Copies checkpoint {@code step} of {@code trainJob} under the workflow's best prefix.
     *
     * @return the location of the copy; empty when the checkpoint is no longer complete in the store
     *     (deleted by retention or by hand), which the caller reports instead of promoting nothing
     */
    public Optional<String> promote(String tenant, UUID workflowId, UUID trainJob, int step) {
        String source = ObjectKeys.checkpointPrefix(tenant, trainJob, step);
        List<Stored> files = store.list(store.bucket(), source).stream()
                .sorted(Comparator.comparing((Stored s) -> s.key().endsWith("/" + ObjectKeys.CHECKPOINT_MANIFEST)).thenComparing(Stored::key))
                .toList();
        if (files.stream().noneMatch(s -> s.key().endsWith("/" + ObjectKeys.CHECKPOINT_MANIFEST))) {
            return Optional.empty();
        }
        String target = ObjectKeys.workflowBestPrefix(tenant, workflowId);
        for (Stored file : files) {
            store.copy(store.bucket(), file.key(), target + file.key().substring(source.length()));
        }
        return Optional.of(store.location(target));
    }
}
