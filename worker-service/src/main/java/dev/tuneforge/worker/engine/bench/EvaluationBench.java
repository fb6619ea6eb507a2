package dev.tuneforge.worker.engine.bench;

import dev.tuneforge.worker.engine.clip.ClipScorer;
import dev.tuneforge.worker.engine.clip.RandomClipCheckpoint;
import dev.tuneforge.worker.engine.cli.CliArgs;
import dev.tuneforge.worker.engine.face.DetectorOptions;
import dev.tuneforge.worker.engine.face.FaceModelFiles;
import dev.tuneforge.worker.engine.face.FacePipeline;
import dev.tuneforge.worker.engine.image.RgbImage;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Speed of the checkpoint evaluation on CPU, timed as ../shared/bench prescribes (2 compute
 * threads, 3 warm-up runs, median/min/max of 10): {@code eval-faces} detects (TinyFaceDetector) and
 * embeds the faces of the five portraits of ../shared/faces/single, {@code eval-faces-ssd} the same
 * with SSD MobileNetV1; {@code eval-clip} CLIP-scores eight of them
 * against a prompt with the CLIP model of {@code --clip DIR}, or by default a randomly initialised
 * ViT-L/14 (openai/clip-vit-large-patch14's architecture). One line per case:
 * {@code case median_ms min_ms max_ms peak_rss_mb images_per_s cpu_ms_per_image}; the last is the
 * process's CPU time over all runs per image, a figure that stays meaningful on a shared machine
 * where wall-clock time depends on the other load.
 */
public final class EvaluationBench {

    private static final String THREADS = "ai.djl.pytorch.num_threads";
    private static final String INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";
    private static final int CLIP_IMAGES = 8;

    private EvaluationBench() {
    }

    /**
     * {@code [--case eval-faces|eval-clip ...] [--faces DIR] [--clip DIR]}; the random CLIP takes
     * its tokenizer from goldens/clip next to the faces folder.
     */
    public static void main(String[] args) throws Exception {
        System.setProperty(THREADS, System.getProperty(THREADS, "2"));
        System.setProperty(INTEROP_THREADS, System.getProperty(INTEROP_THREADS, "1"));
        CliArgs options = CliArgs.parse(Arrays.asList(args), Set.of("case", "faces", "clip"));
        List<String> cases = options.has("case") ? options.all("case")
                : List.of("eval-faces", "eval-faces-ssd", "eval-clip");
        Path faces = Path.of(options.get("faces", "../shared/faces")).toAbsolutePath().normalize();
        List<RgbImage> portraits = portraits(faces.resolve("single"));
        for (String name : cases) {
            switch (name) {
                case "eval-faces" -> report(name, portraits.size(), new FacesCase(portraits, DetectorOptions.DEFAULT));
                case "eval-faces-ssd" -> report(name, portraits.size(), new FacesCase(portraits,
                        DetectorOptions.of(DetectorOptions.Network.SSD, 0.5)));
                case "eval-clip" -> report(name, CLIP_IMAGES, new ClipCase(options.get("clip", null),
                        faces.resolveSibling("goldens").resolve("clip/tokenizer"), portraits));
                default -> throw new IllegalArgumentException("unknown bench case '" + name
                        + "' (known: eval-faces, eval-faces-ssd, eval-clip)");
            }
        }
    }

    private static void report(String name, int images, BenchCase bench) throws Exception {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (bench) {
            long cpuStart = os.getProcessCpuTime();
            BenchResult result = EngineBench.time(name, bench);
            double cpuMs = (os.getProcessCpuTime() - cpuStart) / 1e6;
            int runs = EngineBench.WARMUP_RUNS + EngineBench.TIMED_RUNS;
            System.out.println(result.line() + String.format(Locale.ROOT, " %.2f %.1f",
                    images * 1000 / result.medianMs(), cpuMs / (runs * images)));
        }
    }

    private static List<RgbImage> portraits(Path dir) throws IOException {
        List<RgbImage> images = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jpg")).sorted(Comparator.naturalOrder())
                    .toList()) {
                images.add(RgbImage.read(file));
            }
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no .jpg portraits in " + dir + " (set --faces to ../shared/faces)");
        }
        return images;
    }

    /** Detection and embedding of every face of each portrait. */
    private static final class FacesCase implements BenchCase {
        private final FacePipeline pipeline;
        private final List<RgbImage> images;

        FacesCase(List<RgbImage> images, DetectorOptions detector) throws IOException {
            this.pipeline = FacePipeline.load(FaceModelFiles.locate(), detector, FacePipeline.DEFAULT_MARGIN);
            this.images = images;
        }

        @Override
        public void run() {
            for (RgbImage image : images) {
                pipeline.faces(image);
            }
        }

        @Override
        public void close() {
            pipeline.close();
        }
    }

    /** CLIP score (preprocessing, tokenizer, both towers) of a batch of images against their prompts. */
    private static final class ClipCase implements BenchCase {
        private final ClipScorer scorer;
        private final List<RgbImage> images = new ArrayList<>();
        private final Path scratch;

        ClipCase(String clipDir, Path tokenizer, List<RgbImage> portraits) throws IOException {
            scratch = clipDir == null ? Files.createTempDirectory("random-clip") : null;
            Path dir = clipDir == null ? randomVitL14(scratch, tokenizer) : Path.of(clipDir);
            scorer = ClipScorer.load(dir);
            for (int i = 0; i < CLIP_IMAGES; i++) {
                images.add(portraits.get(i % portraits.size()));
            }
        }

        /** A random ViT-L/14 with the goldens' small BPE vocabulary: prompts are padded to 77 tokens either way. */
        private static Path randomVitL14(Path dir, Path tokenizer) throws IOException {
            RandomClipCheckpoint.write(RandomClipCheckpoint.VIT_L14_CONFIG, dir, 0);
            for (String file : new String[] {"vocab.json", "merges.txt"}) {
                Files.copy(tokenizer.resolve(file), dir.resolve(file));
            }
            Files.writeString(dir.resolve("preprocessor_config.json"), "{\"size\": {\"shortest_edge\": 224}, "
                    + "\"crop_size\": {\"height\": 224, \"width\": 224}}");
            return dir;
        }

        @Override
        public void run() {
            scorer.score(images, Collections.nCopies(images.size(), "a photo of a person smiling at the camera"));
        }

        @Override
        public void close() throws IOException {
            scorer.close();
            if (scratch != null) {
                try (Stream<Path> files = Files.list(scratch)) {
                    for (Path file : files.toList()) {
                        Files.delete(file);
                    }
                }
                Files.delete(scratch);
            }
        }
    }
}
