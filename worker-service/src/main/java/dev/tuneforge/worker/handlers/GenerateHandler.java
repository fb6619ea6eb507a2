package dev.tuneforge.worker.handlers;

import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.jobs.GenerateSpec;
import dev.tuneforge.common.jobs.JobKind;
import dev.tuneforge.worker.runner.JobContext;
import dev.tuneforge.worker.runner.JobHandler;
import dev.tuneforge.worker.runner.JobResult;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text-to-image with a base model and optionally a trained LoRA at a scale. The images are seeded,
 * so a redelivered job simply renders and uploads the same images again.
 */
@Singleton
@IfBuildProperty(name = "tuneforge.worker.engine-handlers", stringValue = "true", enableIfMissing = true)
public class GenerateHandler implements JobHandler {

    private final WorkerResources resources;

    @Inject
    public GenerateHandler(WorkerResources resources) {
        this.resources = resources;
    }

    @Override
    public JobKind kind() {
        return JobKind.GENERATE;
    }

    @Override
    public JobResult run(JobContext context) throws Exception {
        JobCommand command = context.command();
        GenerateSpec spec = (GenerateSpec) command.spec();
        Path dir = resources.freshJobDir(command.jobId());
        try {
            List<Path> images = Rendering.render(resources, context, spec.modelId(), spec.lora(), spec.sampling(),
                    spec.sampling().prompts(), dir).files();
            List<String> locations = SampleRenderer.store(resources.store(), command.tenant(), command.jobId(), 0,
                    images);
            context.samples(0, locations);
            Map<String, String> artifacts = new LinkedHashMap<>();
            for (int i = 0; i < locations.size(); i++) {
                artifacts.put("image-" + i, locations.get(i));
            }
            return JobResult.succeeded(artifacts);
        } catch (SampleRenderer.Stopped e) {
            return JobResult.stopped();
        } finally {
            resources.cleanJobDir(command.jobId());
        }
    }
}
