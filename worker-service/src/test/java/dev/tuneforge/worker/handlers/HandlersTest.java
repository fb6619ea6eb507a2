package dev.tuneforge.worker.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.jobs.DreamBoothSettings;
import dev.tuneforge.common.jobs.EvaluateSpec;
import dev.tuneforge.common.jobs.GenerateSpec;
import dev.tuneforge.common.jobs.JobSpec;
import dev.tuneforge.common.jobs.LoraRef;
import dev.tuneforge.common.jobs.LoraSettings;
import dev.tuneforge.common.jobs.SamplingSettings;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.common.jobs.ValidationPrompts;
import dev.tuneforge.common.storage.ObjectKeys;
import dev.tuneforge.worker.engine.demo.TinyModelFactory;
import dev.tuneforge.worker.engine.demo.TinyRandomClip;
import dev.tuneforge.worker.runner.BadInputException;
import dev.tuneforge.worker.runner.JobResult;
import dev.tuneforge.worker.storage.ContentCache;
import dev.tuneforge.worker.storage.ObjectStore;
import dev.tuneforge.worker.storage.StoredObject;
import dev.tuneforge.worker.storage.TestS3;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The train, generate and evaluate handlers on the tiny golden pipeline and a generated dataset in
 * the embedded S3 server, driven through a recording {@link RecordingContext}.
 */
class HandlersTest {
    private static final String MODEL = "tiny";
    private static final String DATASET = "shapes";

    @TempDir
    static Path dir;
    private static ObjectStore store;
    private static WorkerResources resources;
    private static String tenant;
    private static UUID trained;
    private static RecordingContext trainContext;
    private static JobResult trainResult;

    @BeforeAll
    static void trainOnce() throws Exception {
        store = TestS3.store();
        tenant = "t" + UUID.randomUUID().toString().substring(0, 8);
        resources = new WorkerResources(store, new ContentCache(store, dir.resolve("cache"), 1L << 30),
                dir.resolve("work"), new Devices(Device.cpu()), Optional.empty());
        TestInputs.tinyModel(store, tenant, MODEL);
        TestInputs.shapes(tenant, DATASET);
        trained = UUID.randomUUID();
        trainContext = new RecordingContext(command(trained, trainSpec(DATASET)), 1, 0);
        trainResult = new TrainHandler(resources).run(trainContext);
    }

    private static TrainSpec trainSpec(String dataset) {
        return trainSpec(dataset, null);
    }

    private static TrainSpec trainSpec(String dataset, Integer keepCheckpoints) {
        return new TrainSpec("lora", MODEL, dataset, 4, 1, 64, 1e-3, 1e-3, true, "constant", null, null, 0, 1, null,
                null, 1126L, true, false, 2, keepCheckpoints, new LoraSettings(4, 4.0, null, null, null),
                new SamplingSettings(List.of("a red square"), null, 1, 7.5, null, null, 64, 64, 1), null);
    }

    private static JobCommand command(UUID job, JobSpec spec) {
        return new JobCommand(job, 1, tenant, "test", spec);
    }

    private static byte[] bytes(String location) throws IOException {
        Path file = Files.createTempFile(dir, "object", ".bin");
        store.download(location.substring(("s3://" + ObjectKeys.BUCKET + "/").length()), file);
        return Files.readAllBytes(file);
    }

    private static List<String> keys(String prefix) {
        return store.list(prefix).stream().map(StoredObject::key).map(k -> k.substring(prefix.length())).toList();
    }

    @Test
    void fourStepsWithACheckpointEveryTwoStoreTwoCompleteCheckpointsSamplesAndTheFinalLoraInBothNamings() {
        assertThat(trainResult).isInstanceOf(JobResult.Succeeded.class);
        assertThat(trainContext.checkpoints).extracting(RecordingContext.Checkpoint::step).containsExactly(2, 4);
        for (RecordingContext.Checkpoint checkpoint : trainContext.checkpoints) {
            String prefix = ObjectKeys.checkpointPrefix(tenant, trained, checkpoint.step());
            assertThat(checkpoint.location()).isEqualTo("s3://tuneforge/" + prefix);
            assertThat(keys(prefix)).containsExactlyInAnyOrder("lora.safetensors", "optimizer.safetensors",
                    "state.json", "manifest.json");
        }
        assertThat(trainContext.progress).extracting(p -> p.step()).containsExactly(1, 2, 3, 4);
        assertThat(trainContext.progress).allSatisfy(p -> {
            assertThat(p.loss()).isFinite();
            assertThat(p.learningRate()).isEqualTo(1e-3);
            assertThat(p.imagesPerSecond()).isPositive();
            assertThat(p.etaSeconds()).isNotNegative();
        });
        assertThat(trainContext.samples).extracting(RecordingContext.Samples::step).containsExactly(2, 4);
        assertThat(trainContext.samples.get(0).locations())
                .containsExactly("s3://tuneforge/" + ObjectKeys.sample(tenant, trained, 2, 0));
        String finalPrefix = ObjectKeys.finalPrefix(tenant, trained);
        assertThat(keys(finalPrefix)).containsExactlyInAnyOrder("pytorch_lora_weights.safetensors",
                "lora_kohya.safetensors");
        assertThat(((JobResult.Succeeded) trainResult).artifacts()).containsEntry("pytorch_lora_weights.safetensors",
                "s3://tuneforge/" + finalPrefix + "pytorch_lora_weights.safetensors")
                .containsEntry("lora_kohya.safetensors", "s3://tuneforge/" + finalPrefix + "lora_kohya.safetensors");
    }

    @Test
    void aRedeliveredJobResumesFromItsLastCheckpointAndEndsWithTheLoraOfAnUninterruptedRun() throws Exception {
        UUID job = UUID.randomUUID();
        // keepCheckpoints is no training setting: the resumed run must still match the uninterrupted one.
        RecordingContext first = new RecordingContext(command(job, trainSpec(DATASET, 1)), 1, 3);
        assertThat(new TrainHandler(resources).run(first)).isInstanceOf(JobResult.Stopped.class);
        assertThat(first.checkpoints).extracting(RecordingContext.Checkpoint::step).containsExactly(2, 3);

        RemoteCheckpoints stored = new RemoteCheckpoints(store, tenant, job);
        assertThat(stored.completeSteps()).as("only the newest is kept").containsExactly(3);
        RecordingContext second = new RecordingContext(command(job, trainSpec(DATASET, 1)), 2, 0);
        JobResult result = new TrainHandler(resources).run(second);
        assertThat(second.progress).extracting(p -> p.step()).as("resumed after step 3").containsExactly(3, 4);
        assertThat(second.progress.get(0).message()).isEqualTo("resumed from checkpoint step 3");
        assertThat(second.checkpoints).extracting(RecordingContext.Checkpoint::step).containsExactly(4);
        assertThat(stored.completeSteps()).containsExactly(4);
        assertThat(store.list(ObjectKeys.checkpointPrefix(tenant, job, 3))).as("pruned files").isEmpty();
        for (String name : List.of("pytorch_lora_weights.safetensors", "lora_kohya.safetensors")) {
            assertThat(bytes(((JobResult.Succeeded) result).artifacts().get(name))).as(name)
                    .isEqualTo(bytes(((JobResult.Succeeded) trainResult).artifacts().get(name)));
        }
    }

    @Test
    void aFullUnetDreamBoothRunEndsWithADiffusersUnetComponent() throws Exception {
        TrainSpec spec = new TrainSpec("dreambooth", MODEL, DATASET, 2, 1, 64, 1e-5, null, false, "constant", null,
                null, 0, 1, null, null, 3L, true, false, 2, null, null, SamplingSettings.defaults(),
                new DreamBoothSettings("a photo of sks square", null, false, null, null, true));
        UUID job = UUID.randomUUID();
        RecordingContext context = new RecordingContext(command(job, spec), 1, 0);
        JobResult.Succeeded result = (JobResult.Succeeded) new TrainHandler(resources).run(context);
        String finalPrefix = ObjectKeys.finalPrefix(tenant, job);
        assertThat(result.artifacts()).containsExactly(Map.entry("unet", "s3://tuneforge/" + finalPrefix + "unet/"));
        assertThat(keys(finalPrefix)).containsExactlyInAnyOrder("unet/config.json",
                "unet/diffusion_pytorch_model.safetensors");
        assertThat(context.checkpoints).extracting(RecordingContext.Checkpoint::step).containsExactly(2);
    }

    @Test
    void aMissingDatasetFailsAsBadInputNamingIt() {
        RecordingContext context = new RecordingContext(command(UUID.randomUUID(), trainSpec("gone")), 1, 0);
        assertThatThrownBy(() -> new TrainHandler(resources).run(context)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("dataset 'gone' does not exist")
                .hasMessageContaining(ObjectKeys.datasetPrefix(tenant, "gone"));
    }

    @Test
    void generatingWithTheTrainedLoraTwiceGivesTheSamePngBytes() throws Exception {
        SamplingSettings sampling = new SamplingSettings(List.of("a red square", "a blue square"), null, 2, 7.5, null,
                42L, 64, 64, 1);
        GenerateSpec spec = new GenerateSpec(MODEL, new LoraRef(trained.toString(), null, 0.8), sampling);
        UUID job = UUID.randomUUID();
        RecordingContext once = new RecordingContext(command(job, spec), 1, 0);
        JobResult.Succeeded first = (JobResult.Succeeded) new GenerateHandler(resources).run(once);
        assertThat(first.artifacts()).hasSize(2);
        assertThat(once.samples).hasSize(1);
        assertThat(once.samples.get(0).locations()).containsExactly(
                "s3://tuneforge/" + ObjectKeys.sample(tenant, job, 0, 0),
                "s3://tuneforge/" + ObjectKeys.sample(tenant, job, 0, 1));
        byte[] image0 = bytes(first.artifacts().get("image-0"));
        byte[] image1 = bytes(first.artifacts().get("image-1"));

        RecordingContext again = new RecordingContext(command(job, spec), 2, 0);
        JobResult.Succeeded second = (JobResult.Succeeded) new GenerateHandler(resources).run(again);
        assertThat(bytes(second.artifacts().get("image-0"))).isEqualTo(image0);
        assertThat(bytes(second.artifacts().get("image-1"))).isEqualTo(image1);
        assertThat(image0).isNotEqualTo(image1);
    }

    @Test
    void aStopRequestEndsAGenerationWithinOneDenoisingStepAndStoresNothing() throws Exception {
        GenerateSpec spec = new GenerateSpec(MODEL, null,
                new SamplingSettings(List.of("a red square"), null, 3, 7.5, null, null, 64, 64, 1));
        UUID job = UUID.randomUUID();
        RecordingContext context = new RecordingContext(command(job, spec), 1, 1);
        assertThat(new GenerateHandler(resources).run(context)).isInstanceOf(JobResult.Stopped.class);
        assertThat(context.progress).extracting(p -> p.step()).containsExactly(1);
        assertThat(context.samples).isEmpty();
        assertThat(store.list(ObjectKeys.jobPrefix(tenant, job))).isEmpty();
    }

    @Test
    void aModelWithoutItsUnetIsBadInputNamingTheModel() throws Exception {
        TestInputs.tinyModel(store, tenant, "no-unet", List.of("model_index.json", "scheduler", "text_encoder",
                "tokenizer", "vae"));
        GenerateSpec spec = new GenerateSpec("no-unet", null,
                new SamplingSettings(List.of("a red square"), null, 1, 7.5, null, null, 64, 64, 1));
        RecordingContext context = new RecordingContext(command(UUID.randomUUID(), spec), 1, 0);
        assertThatThrownBy(() -> new GenerateHandler(resources).run(context)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("model 'no-unet'").hasMessageContaining("unet");
    }

    @Test
    void generatingWithAMissingCheckpointIsBadInput() {
        GenerateSpec spec = new GenerateSpec(MODEL, new LoraRef(trained.toString(), 3, null),
                new SamplingSettings(List.of("a red square"), null, 1, 7.5, null, null, 64, 64, 1));
        RecordingContext context = new RecordingContext(command(UUID.randomUUID(), spec), 1, 0);
        assertThatThrownBy(() -> new GenerateHandler(resources).run(context)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("no complete checkpoint at step 3");
    }

    @Test
    void evaluatingTheBaseModelWithoutPromptsRendersTheDefaultSetAndStoresTheReportAtStepZero() throws Exception {
        SamplingSettings sampling = new SamplingSettings(null, null, 1, 7.5, null, 7L, 64, 64, 1);
        UUID job = UUID.randomUUID();
        RecordingContext context = new RecordingContext(command(job, new EvaluateSpec(MODEL, DATASET, null, sampling)),
                1, 0);
        JobResult.Succeeded result = (JobResult.Succeeded) new EvaluateHandler(resources).run(context);
        String location = "s3://tuneforge/" + ObjectKeys.evalMetrics(tenant, job, 0);
        assertThat(result.artifacts()).containsEntry("report", location);
        assertThat(context.evaluated).singleElement().satisfies(e -> {
            assertThat(e.step()).isNull();
            assertThat(e.metrics()).containsEntry("images", (double) ValidationPrompts.defaults().size());
        });
        JsonNode report = new ObjectMapper().readTree(bytes(location));
        assertThat(report.path("images").get(0).path("prompt").asText()).isEqualTo(ValidationPrompts.defaults().get(0));
    }

    @Test
    void evaluatingACheckpointStoresAReportWithPerImageDetailsAndPublishesItsNumbers() throws Exception {
        SamplingSettings sampling = new SamplingSettings(List.of("a photo of a red square", "a photo of a face"), null,
                1, 7.5, null, 7L, 64, 64, 1);
        EvaluateSpec spec = new EvaluateSpec(MODEL, DATASET, new LoraRef(trained.toString(), 2, null), sampling);
        UUID job = UUID.randomUUID();
        RecordingContext context = new RecordingContext(command(job, spec), 1, 0);
        JobResult.Succeeded result = (JobResult.Succeeded) new EvaluateHandler(resources).run(context);
        String location = "s3://tuneforge/" + ObjectKeys.evalMetrics(tenant, job, 2);
        assertThat(result.artifacts()).containsEntry("report", location);
        assertThat(context.evaluated).hasSize(1);
        RecordingContext.Evaluated evaluated = context.evaluated.get(0);
        assertThat(evaluated.step()).isEqualTo(2);
        assertThat(evaluated.location()).isEqualTo(location);
        assertThat(evaluated.metrics()).containsEntry("images", 2.0).containsKey("faceless")
                .as("no CLIP model configured").doesNotContainKeys("clipScore", "clipScoreAllImages");
        JsonNode report = new ObjectMapper().readTree(bytes(location));
        assertThat(report.path("generated").asInt()).isEqualTo(2);
        assertThat(report.path("images")).hasSize(2);
        assertThat(report.path("images").get(1).path("prompt").asText()).isEqualTo("a photo of a face");
        assertThat(report.path("training").path("images").asInt()).isEqualTo(3);
    }

    /** With {@code clip-model} set (here the demo's tiny random CLIP) every image counts for clipScoreAllImages. */
    @Test
    void withAClipModelEvaluationPublishesTheClipScoreOverAllImages() throws Exception {
        Path clip = TinyRandomClip.write(dir.resolve("tiny-random-clip"), TinyModelFactory.DEFAULT_SEED);
        WorkerResources withClip = new WorkerResources(store, new ContentCache(store, dir.resolve("cache-clip"),
                1L << 30), dir.resolve("work-clip"), new Devices(Device.cpu()), Optional.of(clip));
        SamplingSettings sampling = new SamplingSettings(List.of("a photo of a red square", "a blue circle"), null,
                1, 7.5, null, 7L, 64, 64, 1);
        UUID job = UUID.randomUUID();
        RecordingContext context = new RecordingContext(command(job, new EvaluateSpec(MODEL, DATASET, null, sampling)),
                1, 0);
        new EvaluateHandler(withClip).run(context);

        Map<String, Double> metrics = context.evaluated.get(0).metrics();
        JsonNode report = new ObjectMapper().readTree(bytes("s3://tuneforge/" + ObjectKeys.evalMetrics(tenant, job, 0)));
        double mean = (report.path("images").get(0).path("clipScore").asDouble()
                + report.path("images").get(1).path("clipScore").asDouble()) / 2;
        assertThat(metrics.get("clipScoreAllImages")).isFinite().isCloseTo(mean, offset(1e-9));
        assertThat(report.path("clipScoreAllImages").asDouble()).isEqualTo(metrics.get("clipScoreAllImages"));
    }
}
