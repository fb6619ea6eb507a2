package dev.tuneforge.worker.engine.pipeline;

import static dev.tuneforge.worker.engine.testing.Tensors.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneforge.worker.engine.testing.Fixtures;
import dev.tuneforge.worker.engine.testing.Goldens;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StableDiffusionPipelineTest {

    private static final double ATOL = 1e-3;

    private static Fixtures fixtures;
    private static StableDiffusionPipeline pipeline;

    @BeforeAll
    static void load() throws IOException {
        fixtures = Goldens.fixtures("sd_pipeline");
        pipeline = StableDiffusionPipeline.builder().setModelDir(fixtures.dir()).build();
    }

    @AfterAll
    static void close() throws IOException {
        pipeline.close();
        fixtures.close();
    }

    /** Every scheduler run of fixtures.json: text states, every step's latents, the decoded image and its bytes. */
    @Test
    void matchesTheReferencePipelineForEveryScheduler(@TempDir Path tmp) throws IOException {
        JsonNode description = fixtures.description();
        Iterator<Map.Entry<String, JsonNode>> runs = description.path("runs").fields();
        assertThat(runs.hasNext()).isTrue();
        while (runs.hasNext()) {
            Map.Entry<String, JsonNode> run = runs.next();
            String name = run.getKey();
            Path config = tmp.resolve(name + "_scheduler_config.json");
            Files.writeString(config, run.getValue().path("scheduler_config").toString());
            try (StableDiffusionPipeline scheduled = StableDiffusionPipeline.builder().setModelDir(fixtures.dir())
                    .optSchedulerConfig(config).build();
                 NDManager manager = NDManager.newBaseManager()) {
                checkRun(scheduled, name, description, manager);
            }
        }
    }

    private void checkRun(StableDiffusionPipeline scheduled, String run, JsonNode description, NDManager manager) {
        String prompt = description.path("prompt").asText();
        String negative = description.path("negative_prompt").isTextual()
                ? description.path("negative_prompt").asText() : "";
        report(run + " prompt_embeds", assertClose(scheduled.encodePrompts(List.of(prompt), manager),
                fixtures.get(run + ".prompt_embeds"), 1e-4, run + " prompt_embeds"));
        report(run + " negative_prompt_embeds", assertClose(scheduled.encodePrompts(List.of(negative), manager),
                fixtures.get(run + ".negative_prompt_embeds"), 1e-4, run + " negative_prompt_embeds"));

        assertThat(scheduled.scheduler().initNoiseSigma()).isCloseTo(
                fixtures.get(run + ".init_noise_sigma").getFloat(), org.assertj.core.api.Assertions.within(1e-4f));
        List<NDArray> steps = new ArrayList<>();
        List<Float> timesteps = new ArrayList<>();
        GenerationRequest.Builder request = GenerationRequest.builder().addPrompt(prompt)
                .optGuidanceScale((float) description.path("guidance_scale").asDouble())
                .optSteps(description.path("num_inference_steps").asInt())
                .optSize(description.path("width").asInt(), description.path("height").asInt())
                .optLatents(fixtures.get("input.latents"))
                .optCallback((i, total, t, latents) -> {
                    NDArray kept = latents.duplicate();
                    kept.attach(manager);
                    steps.add(kept);
                    timesteps.add(t);
                });
        if (description.path("negative_prompt").isTextual()) {
            request.optNegativePrompt(negative);
        }
        GenerationResult result = scheduled.generate(request.build());

        NDArray expectedTimesteps = fixtures.get(run + ".timesteps");
        assertClose(manager.create(toArray(timesteps)), expectedTimesteps.toType(ai.djl.ndarray.types.DataType.FLOAT32,
                false), 1e-4, run + " timesteps");
        NDArray expectedSteps = fixtures.get(run + ".step_latents");
        assertThat(steps).hasSize((int) expectedSteps.getShape().get(0));
        for (int i = 0; i < steps.size(); i++) {
            report(run + " step_latents." + i, assertClose(steps.get(i), expectedSteps.get(i), ATOL,
                    run + " latents after step " + i));
        }
        NDArray expectedImage = fixtures.get(run + ".image_nhwc");
        report(run + " image_nhwc", assertClose(stack(result, manager), expectedImage, ATOL, run + " image"));
        int[] bytes = result.images().get(0).toRgb8();
        long[] expectedBytes = fixtures.get(run + ".image_uint8_nhwc").toLongArray();
        int worst = 0;
        for (int i = 0; i < bytes.length; i++) {
            worst = Math.max(worst, (int) Math.abs(bytes[i] - expectedBytes[i]));
        }
        report(run + " image_uint8", worst);
        assertThat(worst).as(run + " uint8 image: a float within 1e-3 may round to the neighbouring byte").isLessThanOrEqualTo(1);
    }

    @Test
    void sameSeedGivesTheSameImagesAndADifferentSeedDoesNot() {
        GenerationRequest.Builder request = tinyRequest().optSeed(1234);
        float[] first = pipeline.generate(request.build()).images().get(0).pixels();
        float[] again = pipeline.generate(request.build()).images().get(0).pixels();
        float[] other = pipeline.generate(tinyRequest().optSeed(99).build()).images().get(0).pixels();
        assertThat(again).containsExactly(first);
        assertThat(other).isNotEqualTo(first);
    }

    /** The seeded starting noise is torch's: the seed fixtures.json names for input.latents reproduces them. */
    @Test
    void seedReproducesTorchGeneratorLatents() {
        Matcher seed = Pattern.compile("seed (\\d+)").matcher(fixtures.tensor("input.latents").path("note").asText());
        Assumptions.assumeTrue(seed.find(), "fixtures.json does not say which seed made input.latents");
        GenerationRequest.Builder base = fixtureSizedRequest();
        float[] seeded = pipeline.generate(base.optSeed(Long.parseLong(seed.group(1))).build()).images().get(0).pixels();
        float[] given = pipeline.generate(base.optLatents(fixtures.get("input.latents")).build()).images().get(0)
                .pixels();
        assertThat(seeded).containsExactly(given);
    }

    /** Rows are prompt-major: all images of prompt 0, then of prompt 1; each equals a run of its prompt alone. */
    @Test
    void batchesSeveralPromptsAndImagesPerPrompt() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray latents = fixtures.get("input.latents", manager);
            NDArray batch = NDArrays.concat(new NDList(latents, latents.mul(-1f), latents.flip(3), latents.flip(2)), 0);
            List<String> prompts = List.of("a photo of a man", "an astronaut riding a horse");
            GenerationResult together = pipeline.generate(fixtureSizedRequest().setPrompts(prompts).optImagesPerPrompt(2)
                    .optLatents(batch).build());
            assertThat(together.images()).hasSize(4);
            for (int p = 0; p < 2; p++) {
                GenerationResult alone = pipeline.generate(fixtureSizedRequest().setPrompts(List.of(prompts.get(p)))
                        .optImagesPerPrompt(2).optLatents(batch.get(p * 2 + ":" + (p * 2 + 2))).build());
                for (int i = 0; i < 2; i++) {
                    assertClose(manager.create(together.images().get(p * 2 + i).pixels()),
                            manager.create(alone.images().get(i).pixels()), 1e-4, "prompt " + p + " image " + i);
                }
            }
        }
    }

    /** Whatever a generation allocates is freed with it: nothing may pile up in the weights' manager. */
    @Test
    void generationLeavesNothingInTheModelManager() {
        NDManager weights = pipeline.unet().linears().values().iterator().next().weight().getManager();
        pipeline.generate(tinyRequest().build());
        int before = weights.getManagedArrays().size();
        pipeline.generate(tinyRequest().addPrompt("an astronaut").optImagesPerPrompt(2).build());
        assertThat(weights.getManagedArrays()).hasSize(before);
    }

    @Test
    void stepCallbackSeesEveryStep() {
        List<Integer> seen = new ArrayList<>();
        int[] total = new int[1];
        pipeline.generate(tinyRequest().optSteps(3).optCallback((i, n, t, latents) -> {
            seen.add(i);
            total[0] = n;
        }).build());
        assertThat(seen).hasSize(total[0]).startsWith(0, 1, 2);
        assertThat(total[0]).isEqualTo(pipeline.scheduler().timesteps().length);
    }

    @Test
    void widthAndHeightMustBeMultiplesOf8() {
        assertThatThrownBy(() -> tinyRequest().optSize(60, 64).build()).hasMessageContaining("width")
                .hasMessageContaining("60");
        assertThatThrownBy(() -> tinyRequest().optSize(64, 12).build()).hasMessageContaining("height")
                .hasMessageContaining("12");
    }

    @Test
    void latentsOfTheWrongShapeAreRejected() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray wrong = manager.zeros(new Shape(1, 4, 3, 3));
            assertThatThrownBy(() -> pipeline.generate(tinyRequest().optLatents(wrong).build()))
                    .hasMessageContaining("(1, 4, 3, 3)");
        }
    }

    @Test
    void overlongPromptsAreReportedAsTruncated() {
        String longPrompt = "a photo of a man ".repeat(40).trim();
        GenerationResult result = pipeline.generate(tinyRequest().setPrompts(List.of(longPrompt)).build());
        assertThat(result.truncatedPrompts()).containsExactly(longPrompt);
        assertThat(pipeline.generate(tinyRequest().build()).truncatedPrompts()).isEmpty();
    }

    @Test
    void writesPngsWithTheImageBytes(@TempDir Path tmp) throws IOException {
        GeneratedImage image = pipeline.generate(tinyRequest().build()).images().get(0);
        Path png = tmp.resolve("out.png");
        image.writePng(png);
        BufferedImage read = ImageIO.read(png.toFile());
        assertThat(read.getWidth()).isEqualTo(image.width());
        assertThat(read.getHeight()).isEqualTo(image.height());
        int[] bytes = image.toRgb8();
        int rgb = read.getRGB(1, 2);
        int i = (2 * image.width() + 1) * 3;
        assertThat(new int[] {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff})
                .containsExactly(bytes[i], bytes[i + 1], bytes[i + 2]);
    }

    @Test
    void folderWithoutModelIndexIsRejected(@TempDir Path tmp) {
        assertThatThrownBy(() -> StableDiffusionPipeline.builder().setModelDir(tmp).build())
                .hasMessageContaining("model_index.json");
        assertThatThrownBy(() -> StableDiffusionPipeline.builder().build()).hasMessageContaining("setModelDir");
    }

    private static GenerationRequest.Builder tinyRequest() {
        int[] size = pipeline.defaultSize();
        return GenerationRequest.builder().addPrompt("a photo of a man").optSteps(2).optSeed(7)
                .optSize(size[1], size[0]);
    }

    /** A short request of the size fixtures.json ran at, so that input.latents fit it. */
    private static GenerationRequest.Builder fixtureSizedRequest() {
        JsonNode description = fixtures.description();
        return GenerationRequest.builder().addPrompt(description.path("prompt").asText()).optSteps(2)
                .optSize(description.path("width").asInt(), description.path("height").asInt());
    }

    private static NDArray stack(GenerationResult result, NDManager manager) {
        NDList images = new NDList();
        for (GeneratedImage image : result.images()) {
            images.add(manager.create(image.pixels(), new Shape(image.height(), image.width(), 3)));
        }
        return NDArrays.stack(images);
    }

    private static float[] toArray(List<Float> values) {
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }

    private static void report(String what, double maxDiff) {
        System.out.printf("sd_pipeline parity %s max|diff| %.3g%n", what, maxDiff);
    }
}
