package dev.tuneforge.worker.handlers;

import dev.tuneforge.common.jobs.LoraRef;
import dev.tuneforge.common.storage.ObjectKeys;
import dev.tuneforge.worker.engine.training.CheckpointStore;
import dev.tuneforge.worker.engine.training.LoraFileNames;
import dev.tuneforge.worker.runner.BadInputException;
import dev.tuneforge.worker.storage.ObjectStore;
import java.nio.file.Path;
import java.util.UUID;

/** Where a training job's LoRA files are, under the trainer's {@link LoraFileNames}. */
final class TrainedLoras {
    private TrainedLoras() {
    }

    /** Downloads the adapter {@code ref} names (a complete checkpoint's, or the final one) into {@code dir}. */
    static Path fetch(ObjectStore store, String tenant, LoraRef ref, Path dir) {
        UUID job;
        try {
            job = UUID.fromString(ref.jobId());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("spec.lora.jobId: '" + ref.jobId() + "' is not a training job id (a UUID)", e);
        }
        String key;
        if (ref.step() != null) {
            String prefix = ObjectKeys.checkpointPrefix(tenant, job, ref.step());
            if (!store.exists(ObjectKeys.child(prefix, CheckpointStore.MANIFEST))) {
                throw new BadInputException("training job " + job + " has no complete checkpoint at step " + ref.step()
                        + " (no " + store.location(ObjectKeys.child(prefix, CheckpointStore.MANIFEST)) + ")");
            }
            key = ObjectKeys.child(prefix, LoraFileNames.CHECKPOINT);
        } else {
            key = ObjectKeys.child(ObjectKeys.finalPrefix(tenant, job), LoraFileNames.DIFFUSERS);
        }
        Path file = dir.resolve("lora-" + job + (ref.step() == null ? "-final" : "-step-" + ref.step()) + ".safetensors");
        store.download(key, file);
        return file;
    }
}
