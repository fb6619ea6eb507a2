package dev.tuneforge.worker.handlers;

import dev.tuneforge.common.jobs.LoraRef;
import dev.tuneforge.common.jobs.SamplingSettings;
import dev.tuneforge.common.storage.ObjectKeys;
import dev.tuneforge.worker.engine.pipeline.StableDiffusionPipeline;
import dev.tuneforge.worker.runner.JobContext;
import dev.tuneforge.worker.storage.ContentCache;
import java.nio.file.Path;
import java.util.List;

/** Generate and evaluate alike: a cached base model, an optional trained LoRA, seeded renders into a folder. */
final class Rendering {
    private Rendering() {
    }

    /** Renders, or throws {@link SampleRenderer.Stopped} when the job is asked to stop. */
    static SampleRenderer.Rendered render(WorkerResources resources, JobContext context, String modelId, LoraRef lora,
                                          SamplingSettings sampling, List<String> prompts, Path dir) throws Exception {
        String tenant = context.command().tenant();
        Path loraFile = lora == null ? null : TrainedLoras.fetch(resources.store(), tenant, lora, dir);
        String what = "model '" + modelId + "'";
        try (ContentCache.Lease model = resources.cache().fetch(ObjectKeys.modelPrefix(tenant, modelId), what);
             StableDiffusionPipeline pipeline = EngineErrors.loading(what, () -> StableDiffusionPipeline.builder()
                     .setModelDir(model.dir()).optScheduler(sampling.scheduler())
                     .optDevice(resources.devices().device()).build());
             InstalledLora installed = loraFile == null ? null : EngineErrors.loading("LoRA of training job "
                     + lora.jobId(), () -> InstalledLora.install(pipeline, loraFile, lora.scale()))) {
            return EngineErrors.asBadInput(what, () -> SampleRenderer.render(pipeline, sampling, prompts,
                    dir.resolve("images"), context));
        }
    }
}
