package dev.tuneforge.worker.engine.schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.tuneforge.worker.engine.testing.Fixtures;
import dev.tuneforge.worker.engine.testing.Goldens;
import dev.tuneforge.worker.engine.testing.Tensors;
import dev.tuneforge.worker.engine.weights.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Parity with diffusers on every folder under {@code schedulers/} of the fixture root: the schedule
 * tables, add_noise, and a whole denoising loop step by step. The scheduler comes from the folder's
 * {@code scheduler_config.json}; step count, step arguments and which tensors to check come from the
 * fixtures, so another fixture root (other step counts, spacings, prediction types) runs unchanged.
 */
class SchedulerParityTest {

    /** Absolute tolerance for tensors, plus {@link #RTOL} of their largest magnitude (large-sigma latents). */
    private static final double ATOL = 1e-4;
    /** Relative tolerance: a few float32 ulps, for schedule tables and scalars computed like the reference. */
    private static final double RTOL = 1e-6;
    private static final Pattern ETA = Pattern.compile("eta=([0-9.eE+-]+)");
    private static final Map<String, Map<String, Double>> WORST = new TreeMap<>();

    @TestFactory
    Stream<DynamicTest> everySchedulerFolderMatchesTheReference() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String folder : schedulerFolders()) {
            tests.add(DynamicTest.dynamicTest(folder + ": tables and timesteps", () -> checkTables(folder)));
            tests.add(DynamicTest.dynamicTest(folder + ": add_noise", () -> checkAddNoise(folder)));
            tests.add(DynamicTest.dynamicTest(folder + ": denoising loop", () -> checkLoop(folder, null)));
            String name = shortNameFor(Goldens.dir(folder).resolve("scheduler_config.json"));
            if (name != null) {
                tests.add(DynamicTest.dynamicTest(folder + ": as '" + name + "' on a config of another class",
                        () -> checkLoop(folder, name)));
            }
        }
        return tests.stream();
    }

    /**
     * The training side on {@code min_snr/}: its scheduler config loads, and add_noise and the
     * v-prediction target (get_velocity) match what the training script computed.
     */
    @Test
    void trainingTargetsMatchTheMinSnrFixtures() throws IOException {
        try (Fixtures fixtures = Goldens.fixtures("min_snr");
             Scheduler scheduler = SchedulerFactory.fromConfig(fixtures.dir().resolve("scheduler_config.json"))) {
            assertRelative(scheduler.alphasCumprod(), floats(fixtures.get("alphas_cumprod")), "alphas_cumprod");
            NDArray latents = fixtures.get("loss.latents");
            NDArray noise = fixtures.get("loss.noise");
            long[] timesteps = fixtures.get("loss.timesteps").toLongArray();
            record("min_snr", "noisy_latents", assertTensor(scheduler.addNoise(latents, noise, timesteps),
                    fixtures.get("loss.noisy_latents"), "min_snr noisy_latents"));
            record("min_snr", "v_prediction target", assertTensor(scheduler.velocity(latents, noise, timesteps),
                    fixtures.get("loss.v_prediction.target"), "min_snr v_prediction target"));
        }
    }

    @AfterAll
    static void printParity() {
        WORST.forEach((folder, diffs) -> System.out.println("[scheduler parity] " + folder + " max |diff| " + diffs));
    }

    static List<String> schedulerFolders() throws IOException {
        Path root = Goldens.dir("schedulers");
        try (Stream<Path> dirs = Files.list(root)) {
            List<String> folders = dirs.filter(d -> Files.isRegularFile(d.resolve("scheduler_config.json")))
                    .map(d -> "schedulers/" + d.getFileName()).sorted().toList();
            assertThat(folders).as("scheduler folders under " + root).isNotEmpty();
            return folders;
        }
    }

    private static void checkTables(String folder) throws IOException {
        try (Fixtures fixtures = Goldens.fixtures(folder);
             Scheduler scheduler = load(folder, fixtures)) {
            if (fixtures.has("betas")) {
                assertRelative(((BaseScheduler) scheduler).betas(), floats(fixtures.get("betas")), "betas");
            }
            assertRelative(scheduler.alphasCumprod(), floats(fixtures.get("alphas_cumprod")), "alphas_cumprod");
            scheduler.setTimesteps(steps(fixtures));
            double[] expected = floats(fixtures.get("timesteps"));
            float[] actual = scheduler.timesteps();
            assertThat(actual).as("timesteps").hasSize(expected.length);
            for (int i = 0; i < expected.length; i++) {
                assertThat((double) actual[i]).as("timestep %d", i).isCloseTo(expected[i], within(1e-3));
            }
            if (fixtures.has("init_noise_sigma")) {
                assertScalar(scheduler.initNoiseSigma(), fixtures.get("init_noise_sigma"), "init_noise_sigma");
            }
            if (fixtures.has("sigmas")) {
                assertThat(scheduler).isInstanceOf(SigmaScheduler.class);
                assertRelative(((SigmaScheduler) scheduler).sigmas(), floats(fixtures.get("sigmas")), "sigmas");
            }
        }
    }

    /** The result holds one block of rows per slice of as many timesteps as there are samples. */
    private static void checkAddNoise(String folder) throws IOException {
        try (Fixtures fixtures = Goldens.fixtures(folder);
             Scheduler scheduler = load(folder, fixtures)) {
            scheduler.setTimesteps(steps(fixtures));
            NDArray original = fixtures.get("add_noise.original_samples");
            NDArray noise = fixtures.get("add_noise.noise");
            double[] timesteps = floats(fixtures.get("add_noise.timesteps"));
            int rows = Math.toIntExact(original.getShape().get(0));
            NDList blocks = new NDList();
            for (int start = 0; start < timesteps.length; start += rows) {
                float[] slice = new float[rows];
                for (int i = 0; i < rows; i++) {
                    slice[i] = (float) timesteps[start + i];
                }
                blocks.add(scheduler.addNoise(original, noise, slice));
            }
            record(folder, "add_noise", assertTensor(NDArrays.concat(blocks), fixtures.get("add_noise.result"),
                    folder + " add_noise"));
        }
    }

    /**
     * The whole loop on the scheduler's own trajectory, each step in its own manager as the pipeline
     * runs it; every per-step tensor the fixtures hold is compared. With {@code shortName} the
     * scheduler is made by {@link SchedulerFactory#create} on the folder's config relabelled as another class.
     */
    private static void checkLoop(String folder, String shortName) throws IOException {
        try (Fixtures fixtures = Goldens.fixtures(folder);
             NDManager manager = NDManager.newBaseManager();
             Scheduler scheduler = shortName == null ? load(folder, fixtures) : createOnForeignConfig(shortName, fixtures)) {
            String label = shortName == null ? folder : folder + " as " + shortName;
            scheduler.setTimesteps(steps(fixtures));
            Map<String, NDArray> loop = new TreeMap<>();
            fixtures.names("loop.").forEach(name -> loop.put(name.substring("loop.".length()), fixtures.get(name)));
            NDArray sample = loop.get("initial_sample").duplicate();
            sample.attach(manager);
            assertTensor(loop.get("initial_noise").mul(scheduler.initNoiseSigma()), sample,
                    label + " initial_sample = initial_noise * init_noise_sigma");
            float[] timesteps = scheduler.timesteps();
            assertThat(loop.get("model_output").getShape().get(0)).as("loop length").isEqualTo(timesteps.length);
            for (int i = 0; i < timesteps.length; i++) {
                try (NDManager stepManager = manager.newSubManager()) {
                    float t = timesteps[i];
                    Step step = new Step(folder, label + " step " + i + " (t=" + t + ")", loop, i);
                    NDArray x = sample;
                    x.attach(stepManager);
                    step.check("scaled_model_input", scheduler.scaleModelInput(x, t));
                    StepOutput out = scheduler.step(step.golden("model_output"), t, x, goldenNoise(loop, i));
                    step.check("prev_sample", out.prevSample());
                    step.check("pred_original_sample", out.predOriginalSample());
                    step.check("converted_model_output", out.predOriginalSample());
                    checkStepScalars(scheduler, step, t);
                    sample = out.prevSample();
                    sample.attach(manager);
                }
            }
        }
    }

    /** The per-step numbers some folders record: solver order, ancestral sigmas, DDPM noise scale. */
    private static void checkStepScalars(Scheduler scheduler, Step step, float t) {
        if (step.has("solver_order_used")) {
            assertThat(((DpmSolverMultistepScheduler) scheduler).lastSolverOrder()).as(step.at + " solver order")
                    .isEqualTo(step.golden("solver_order_used").getLong());
        }
        if (step.has("sigma_up")) {
            float[] upDown = ((EulerAncestralScheduler) scheduler).sigmaUpDown(step.index);
            assertScalar(upDown[0], step.golden("sigma_up"), step.at + " sigma_up");
            assertScalar(upDown[1], step.golden("sigma_down"), step.at + " sigma_down");
        }
        if (step.has("variance_std")) {
            assertScalar(((DdpmScheduler) scheduler).varianceStd(Math.round(t)), step.golden("variance_std"),
                    step.at + " variance std");
        }
    }

    /** Step {@code index} of a golden loop: its slices of the loop.* tensors. */
    private record Step(String folder, String at, Map<String, NDArray> loop, int index) {

        boolean has(String name) {
            return loop.containsKey(name);
        }

        NDArray golden(String name) {
            return loop.get(name).get(new NDIndex("{}", index));
        }

        /** Compares where the fixtures hold {@code name}. */
        void check(String name, NDArray actual) {
            if (has(name)) {
                assertThat(actual).as(at + " " + name).isNotNull();
                record(folder, name, assertTensor(actual, golden(name), at + " " + name));
            }
        }
    }

    /** The noise the reference drew at step {@code i}, or none where the scheduler is deterministic. */
    private static NoiseSource goldenNoise(Map<String, NDArray> loop, int i) {
        if (!loop.containsKey("variance_noise")) {
            return NoiseSource.none();
        }
        return (manager, shape) -> {
            NDArray noise = loop.get("variance_noise").get(new NDIndex("{}", i));
            assertThat(noise.getShape()).as("variance noise shape").isEqualTo(shape);
            noise.attach(manager);
            return noise;
        };
    }

    /**
     * The short name that means this config's scheduler, or null where none does (e.g. a
     * DPM-Solver config of another order, which the "dpmpp-2m" names would override).
     */
    private static String shortNameFor(Path schedulerConfig) throws IOException {
        ModelConfig config = ModelConfig.read(schedulerConfig);
        switch (config.getString("_class_name")) {
            case "DDPMScheduler":
                return "ddpm";
            case "DDIMScheduler":
                return "ddim";
            case "PNDMScheduler":
                return "pndm";
            case "EulerDiscreteScheduler":
                return "euler";
            case "EulerAncestralDiscreteScheduler":
                return "euler-ancestral";
            case "DPMSolverMultistepScheduler":
                boolean plain2m = config.getInt("solver_order", 2) == 2
                        && config.getString("algorithm_type", "dpmsolver++").equals("dpmsolver++");
                if (!plain2m) {
                    return null;
                }
                return config.getBoolean("use_karras_sigmas", false) ? "dpmpp-2m-karras" : "dpmpp-2m";
            default:
                return null;
        }
    }

    /** The folder's config saved as if by another scheduler class, then the scheduler chosen by name. */
    private static Scheduler createOnForeignConfig(String name, Fixtures fixtures) throws IOException {
        String json = Files.readString(fixtures.dir().resolve("scheduler_config.json"));
        String foreign = name.equals("pndm") ? "DDIMScheduler" : "PNDMScheduler";
        String relabelled = json.replaceFirst("\"_class_name\"\\s*:\\s*\"[^\"]*\"", "\"_class_name\": \"" + foreign + "\"");
        assertThat(relabelled).contains(foreign);
        Scheduler scheduler = SchedulerFactory.create(name, ModelConfig.parse(relabelled, "relabelled " + fixtures.dir()));
        applyStepArguments(scheduler, fixtures);
        return scheduler;
    }

    private static Scheduler load(String folder, Fixtures fixtures) throws IOException {
        Scheduler scheduler = SchedulerFactory.fromConfig(fixtures.dir().resolve("scheduler_config.json"));
        applyStepArguments(scheduler, fixtures);
        return scheduler;
    }

    /** diffusers passes eta to each DDIM step; the fixtures record it in {@code step_kwargs}. */
    private static void applyStepArguments(Scheduler scheduler, Fixtures fixtures) {
        Matcher eta = ETA.matcher(fixtures.description().path("step_kwargs").asText(""));
        if (eta.find()) {
            assertThat(scheduler).isInstanceOf(DdimScheduler.class);
            ((DdimScheduler) scheduler).setEta(Double.parseDouble(eta.group(1)));
        }
    }

    private static int steps(Fixtures fixtures) {
        return Math.toIntExact(fixtures.get("num_inference_steps").getLong());
    }

    private static double[] floats(NDArray array) {
        float[] values = array.toType(DataType.FLOAT32, false).toFloatArray();
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static void assertScalar(double actual, NDArray expected, String what) {
        double value = expected.toType(DataType.FLOAT32, false).getFloat();
        assertThat(actual).as(what).isCloseTo(value, within(RTOL * Math.max(1, Math.abs(value))));
    }

    /** {@link Tensors#assertClose} with the tolerance scaled to the expected tensor's magnitude. */
    private static double assertTensor(NDArray actual, NDArray expected, String what) {
        double scale = expected.abs().max().toType(DataType.FLOAT32, false).getFloat();
        return Tensors.assertClose(actual, expected, ATOL + RTOL * scale, what);
    }

    private static void assertRelative(double[] actual, double[] expected, String what) {
        assertThat(actual).as(what).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("%s[%d]", what, i).isCloseTo(expected[i], within(RTOL * Math.abs(expected[i])));
        }
    }

    private static void record(String folder, String what, double diff) {
        WORST.computeIfAbsent(folder, f -> new TreeMap<>()).merge(what, diff, Math::max);
    }
}
