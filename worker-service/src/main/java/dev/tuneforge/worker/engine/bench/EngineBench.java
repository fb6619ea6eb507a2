package dev.tuneforge.worker.engine.bench;

import dev.tuneforge.worker.engine.cli.CliArgs;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The engine benchmark of {@code ../shared/bench/README.md}, cases {@code unet-fwd},
 * {@code unet-lora-step} and {@code tiny-pipeline}: 2 compute threads, 3 warm-up runs, then median,
 * min and max of 10 timed wall-clock runs and the peak resident memory, one line per case:
 * {@code case median_ms min_ms max_ms peak_rss_mb}. With several cases each runs in its own JVM,
 * so every line's peak memory is that case's alone.
 */
public final class EngineBench {

    static final int WARMUP_RUNS = 3;
    static final int TIMED_RUNS = 10;
    private static final List<String> CASES = List.of("unet-fwd", "unet-lora-step", "tiny-pipeline");
    private static final String THREADS = "ai.djl.pytorch.num_threads";
    private static final String INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";

    private EngineBench() {
    }

    /** {@code [--case NAME ...] [--bench-dir DIR] [--goldens DIR]}. */
    public static void main(String[] args) throws Exception {
        CliArgs options = CliArgs.parse(Arrays.asList(args), Set.of("case", "bench-dir", "goldens"));
        List<String> cases = options.has("case") ? options.all("case") : CASES;
        for (String name : cases) {
            if (!CASES.contains(name)) {
                throw new IllegalArgumentException("unknown bench case '" + name + "' (known: " + CASES + ")");
            }
        }
        Path benchDir = Path.of(options.get("bench-dir", "../shared/bench")).toAbsolutePath().normalize();
        Path goldens = Path.of(options.get("goldens", goldensDefault(benchDir))).toAbsolutePath().normalize();
        if (cases.size() == 1) {
            System.setProperty(THREADS, System.getProperty(THREADS, "2"));
            System.setProperty(INTEROP_THREADS, System.getProperty(INTEROP_THREADS, "1"));
            System.out.println(measure(cases.get(0), benchDir, goldens).line());
            return;
        }
        for (String name : cases) {
            runInChildJvm(name, benchDir, goldens);
        }
    }

    private static String goldensDefault(Path benchDir) {
        String fromEnv = System.getenv("TUNEFORGE_GOLDENS");
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv : benchDir.resolve("../goldens").toString();
    }

    private static BenchResult measure(String name, Path benchDir, Path goldens) throws Exception {
        try (BenchCase bench = create(name, benchDir, goldens)) {
            return time(name, bench);
        }
    }

    /** The protocol's timing of a set-up case: warm-up runs, then the timed runs and the peak memory. */
    static BenchResult time(String name, BenchCase bench) throws Exception {
        for (int i = 0; i < WARMUP_RUNS; i++) {
            bench.run();
        }
        double[] millis = new double[TIMED_RUNS];
        for (int i = 0; i < TIMED_RUNS; i++) {
            long start = System.nanoTime();
            bench.run();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        return BenchResult.of(name, millis, BenchResult.processPeakRssMb());
    }

    private static BenchCase create(String name, Path benchDir, Path goldens) throws Exception {
        switch (name) {
            case "unet-fwd":
                return new UNetForwardCase(benchDir.resolve("sd15-unet/config.json"));
            case "unet-lora-step":
                return new UNetLoraStepCase(benchDir.resolve("sd15-unet/config.json"));
            default:
                return new TinyPipelineCase(goldens.resolve("sd_pipeline"));
        }
    }

    /** The same JVM (options and classpath) on one case, its line going straight to our output. */
    private static void runInChildJvm(String name, Path benchDir, Path goldens) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-D" + THREADS + "=" + System.getProperty(THREADS, "2"));
        command.add("-D" + INTEROP_THREADS + "=" + System.getProperty(INTEROP_THREADS, "1"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EngineBench.class.getName(),
                "--case", name, "--bench-dir", benchDir.toString(), "--goldens", goldens.toString()));
        int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("bench case " + name + " failed with exit code " + exit);
        }
    }
}
