package dev.tuneforge.worker.handlers;

import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.jobs.EvaluateSpec;
import dev.tuneforge.common.jobs.JobKind;
import dev.tuneforge.common.jobs.ValidationPrompts;
import dev.tuneforge.common.storage.ObjectKeys;
import dev.tuneforge.worker.engine.clip.ClipScorer;
import dev.tuneforge.worker.engine.eval.EvaluationReport;
import dev.tuneforge.worker.engine.eval.Evaluator;
import dev.tuneforge.worker.engine.eval.GeneratedSample;
import dev.tuneforge.worker.engine.eval.ImageInput;
import dev.tuneforge.worker.engine.face.DetectorOptions;
import dev.tuneforge.worker.engine.face.FaceModelFiles;
import dev.tuneforge.worker.engine.face.FacePipeline;
import dev.tuneforge.worker.engine.training.data.ImageCaptionDataset;
import dev.tuneforge.worker.runner.BadInputException;
import dev.tuneforge.worker.runner.JobContext;
import dev.tuneforge.worker.runner.JobHandler;
import dev.tuneforge.worker.runner.JobResult;
import dev.tuneforge.worker.storage.ContentCache;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Scores a LoRA (a checkpoint, a final LoRA, or none: the base model): renders the sampling prompts
 * (the homework's 25 {@link ValidationPrompts} when the spec lists none) with the spec's fixed seed and evaluates them
 * against the dataset's training images with the engine's {@link Evaluator}: face distance, faceless
 * count, and the CLIP scores (over the images with a face, and over all images) when
 * {@code tuneforge.worker.clip-model} names a CLIP model. The report
 * JSON (with per-image details) goes to {@code evalMetrics(tenant, job, step)} (step 0 without a
 * checkpoint step) and its numbers into {@code job.evaluated}.
 */
@Singleton
@IfBuildProperty(name = "tuneforge.worker.engine-handlers", stringValue = "true", enableIfMissing = true)
public class EvaluateHandler implements JobHandler {

    private final WorkerResources resources;

    @Inject
    public EvaluateHandler(WorkerResources resources) {
        this.resources = resources;
    }

    @Override
    public JobKind kind() {
        return JobKind.EVALUATE;
    }

    @Override
    public JobResult run(JobContext context) throws Exception {
        JobCommand command = context.command();
        EvaluateSpec spec = (EvaluateSpec) command.spec();
        Path dir = resources.freshJobDir(command.jobId());
        try (ContentCache.Lease data = resources.cache().fetch(ObjectKeys.datasetPrefix(command.tenant(),
                spec.datasetId()), "dataset '" + spec.datasetId() + "'")) {
            List<String> prompts = ValidationPrompts.orDefaults(spec.sampling().prompts());
            SampleRenderer.Rendered rendered = Rendering.render(resources, context, spec.modelId(), spec.lora(),
                    spec.sampling(), prompts, dir);
            EvaluationReport report = evaluate(rendered, trainingImages(data.dir(), spec.datasetId()));
            Integer step = spec.lora() == null ? null : spec.lora().step();
            Path json = Files.writeString(dir.resolve("metrics.json"), report.toJson());
            String key = ObjectKeys.evalMetrics(command.tenant(), command.jobId(), step == null ? 0 : step);
            resources.store().upload(json, key);
            String location = resources.store().location(key);
            context.evaluated(step, metrics(report), location);
            Map<String, String> artifacts = new LinkedHashMap<>();
            artifacts.put("report", location);
            return JobResult.succeeded(artifacts);
        } catch (SampleRenderer.Stopped e) {
            return JobResult.stopped();
        } finally {
            resources.cleanJobDir(command.jobId());
        }
    }

    private EvaluationReport evaluate(SampleRenderer.Rendered rendered, List<ImageInput> training) throws IOException {
        List<GeneratedSample> samples = new ArrayList<>();
        for (int i = 0; i < rendered.files().size(); i++) {
            samples.add(new GeneratedSample(ImageInput.file(rendered.files().get(i)), rendered.prompts().get(i)));
        }
        try (FacePipeline faces = FacePipeline.load(FaceModelFiles.locate(), DetectorOptions.DEFAULT,
                FacePipeline.DEFAULT_MARGIN);
             ClipScorer clip = resources.clipModel().isPresent() ? ClipScorer.load(resources.clipModel().get()) : null) {
            return Evaluator.of(faces, clip, resources.faceEmbeddingCache()).evaluate(samples, training);
        }
    }

    /** The dataset's images ({@code images/} in the bucket layout), by name. */
    private static List<ImageInput> trainingImages(Path dataset, String datasetId) throws IOException {
        Path images = Files.isDirectory(dataset.resolve("images")) ? dataset.resolve("images") : dataset;
        List<ImageInput> found;
        try (Stream<Path> files = Files.list(images)) {
            found = files.filter(Files::isRegularFile).filter(EvaluateHandler::isImage).sorted()
                    .map(ImageInput::file).toList();
        }
        if (found.isEmpty()) {
            throw new BadInputException("dataset '" + datasetId + "' has no images to compare with");
        }
        return found;
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && ImageCaptionDataset.IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** The report's numbers; a metric that could not be computed (no faces) is left out. */
    private static Map<String, Double> metrics(EvaluationReport report) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (report.faceDistance() != null) {
            metrics.put("faceDistance", report.faceDistance());
        }
        if (report.clipScore() != null) {
            metrics.put("clipScore", report.clipScore());
        }
        if (report.clipScoreAllImages() != null) {
            metrics.put("clipScoreAllImages", report.clipScoreAllImages());
        }
        metrics.put("faceless", (double) report.faceless());
        metrics.put("images", (double) report.generated());
        return metrics;
    }
}
