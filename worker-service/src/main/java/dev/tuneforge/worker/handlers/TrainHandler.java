package dev.tuneforge.worker.handlers;

import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.jobs.JobKind;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.common.storage.ObjectKeys;
import dev.tuneforge.worker.engine.training.StepProgress;
import dev.tuneforge.worker.engine.training.Trainer;
import dev.tuneforge.worker.engine.training.TrainingConfig;
import dev.tuneforge.worker.engine.training.TrainingListener;
import dev.tuneforge.worker.engine.training.TrainingResult;
import dev.tuneforge.worker.runner.JobContext;
import dev.tuneforge.worker.runner.JobHandler;
import dev.tuneforge.worker.runner.JobResult;
import dev.tuneforge.worker.runner.Progress;
import dev.tuneforge.worker.storage.ContentCache;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * LoRA and DreamBooth training jobs. Every delivery starts from the newest complete checkpoint in the
 * bucket (if any), so a redelivered job resumes where the last worker's upload ended and finishes
 * with the weights of an uninterrupted run. Each checkpoint is uploaded (manifest last) and then
 * announced; validation renders become the job's samples; a stop request (cancel, shutdown) makes the
 * trainer checkpoint and stop, the checkpoint is uploaded, and the job returns stopped. DreamBooth
 * as a full UNet fine-tune ends with a diffusers {@code unet/} component instead of LoRA files.
 */
@Singleton
@IfBuildProperty(name = "tuneforge.worker.engine-handlers", stringValue = "true", enableIfMissing = true)
public class TrainHandler implements JobHandler {
    private static final Logger LOG = Logger.getLogger(TrainHandler.class);

    private final WorkerResources resources;

    @Inject
    public TrainHandler(WorkerResources resources) {
        this.resources = resources;
    }

    @Override
    public JobKind kind() {
        return JobKind.TRAIN;
    }

    @Override
    public JobResult run(JobContext context) throws Exception {
        JobCommand command = context.command();
        TrainSpec spec = (TrainSpec) command.spec();
        UUID job = command.jobId();
        String tenant = command.tenant();
        Path out = resources.freshJobDir(job);
        RemoteCheckpoints checkpoints = new RemoteCheckpoints(resources.store(), tenant, job);
        try (ContentCache.Lease model = resources.cache().fetch(ObjectKeys.modelPrefix(tenant, spec.modelId()),
                "model '" + spec.modelId() + "'");
             ContentCache.Lease data = resources.cache().fetch(ObjectKeys.datasetPrefix(tenant, spec.datasetId()),
                     "dataset '" + spec.datasetId() + "'")) {
            OptionalInt resumeFrom = checkpoints.latest();
            if (resumeFrom.isPresent()) {
                LOG.infof("job %s delivery %d resumes from checkpoint step %d", job, context.delivery(),
                        resumeFrom.getAsInt());
                checkpoints.download(resumeFrom.getAsInt(), out.resolve("checkpoints"));
                // job.started went out before the checkpoint was found: the audit trail learns of the resume here.
                context.progress(Progress.steps(resumeFrom.getAsInt(), spec.steps(),
                        "resumed from checkpoint step " + resumeFrom.getAsInt()));
            }
            TrainingConfig config = TrainingConfigs.from(spec, model.dir(), data.dir(), out,
                    resources.devices().device());
            resources.devices().acquireTraining();
            try {
                return train(context, spec, config, checkpoints);
            } finally {
                resources.devices().releaseTraining();
            }
        } finally {
            resources.cleanJobDir(job);
        }
    }

    private JobResult train(JobContext context, TrainSpec spec, TrainingConfig config, RemoteCheckpoints checkpoints)
            throws Exception {
        String what = "training of model '" + spec.modelId() + "' on dataset '" + spec.datasetId() + "'";
        try (Trainer trainer = EngineErrors.loading(what, () -> Trainer.create(config,
                new Listener(context, checkpoints, spec.keepCheckpoints())))) {
            TrainingResult result = EngineErrors.asBadInput(what, trainer::train);
            if (result.stopped()) {
                return JobResult.stopped();
            }
            return JobResult.succeeded(uploadFinal(context.command(), result.finalDir()));
        }
    }

    /**
     * Uploads the trainer's final folder under {@code finalPrefix}: a LoRA run's two files (diffusers
     * and kohya naming), or a full fine-tune's diffusers {@code unet/} component. Each top-level entry
     * becomes an artifact named after it.
     */
    private Map<String, String> uploadFinal(JobCommand command, Path finalDir) throws IOException {
        String prefix = ObjectKeys.finalPrefix(command.tenant(), command.jobId());
        resources.store().uploadDirectory(finalDir, prefix, null);
        Map<String, String> artifacts = new LinkedHashMap<>();
        try (Stream<Path> entries = Files.list(finalDir)) {
            for (Path entry : entries.sorted().toList()) {
                String name = entry.getFileName().toString();
                String key = Files.isDirectory(entry) ? prefix + name + "/" : ObjectKeys.child(prefix, name);
                artifacts.put(name, resources.store().location(key));
            }
        }
        return artifacts;
    }

    /** The trainer's reports as uploads and events. */
    private final class Listener implements TrainingListener {
        private final JobContext context;
        private final RemoteCheckpoints checkpoints;
        private final Integer keep;

        Listener(JobContext context, RemoteCheckpoints checkpoints, Integer keep) {
            this.context = context;
            this.checkpoints = checkpoints;
            this.keep = keep;
        }

        @Override
        public void onStep(StepProgress p) {
            context.progress(new Progress(p.step(), p.totalSteps(), p.loss(), p.averageLoss(), p.unetLr(),
                    p.imagesPerSecond(), p.eta().toMillis() / 1000.0, null));
        }

        @Override
        public void onCheckpoint(int step, Path dir) {
            try {
                String location = checkpoints.upload(step, dir);
                context.checkpoint(step, location);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read checkpoint " + dir + " for upload", e);
            }
            if (keep != null) {
                checkpoints.keepNewest(keep);
            }
        }

        @Override
        public void onValidation(int step, List<String> prompts, List<Path> images) {
            JobCommand command = context.command();
            context.samples(step, SampleRenderer.store(resources.store(), command.tenant(), command.jobId(), step,
                    images));
        }

        @Override
        public void onWarning(String message) {
            LOG.warnf("job %s: %s", context.command().jobId(), message);
        }

        @Override
        public boolean stopRequested() {
            return context.stopRequested();
        }
    }
}
