package dev.tuneforge.worker.engine.cli;

import dev.tuneforge.worker.engine.demo.DemoDataset;
import dev.tuneforge.worker.engine.demo.TinyModelFactory;
import dev.tuneforge.worker.engine.demo.TinyRandomClip;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code demo-assets --out DIR [--images N] [--seed N]}: writes the tiny random demo model to
 * {@code DIR/model} and the drawn demo dataset to {@code DIR/dataset} (what {@code ./tuneforge up
 * --demo} uploads), and the tiny random CLIP to {@code DIR/tiny-random-clip} (the demo worker's
 * {@code clip-model}, so demo evaluations have a CLIP score). Deterministic, so running it again
 * rewrites the same bytes.
 */
final class DemoAssetsCommand {

    static final Set<String> OPTIONS = Set.of("out", "images", "seed");
    static final String USAGE =
            "       engine demo-assets --out DIR [--images N] [--seed N]   (DIR/model: tiny random model, DIR/dataset,\n"
            + "                                                              DIR/tiny-random-clip: tiny random CLIP)";

    private DemoAssetsCommand() {
    }

    static void run(CliArgs options) throws IOException {
        Path out = Path.of(options.required("out"));
        Long seed = options.getLong("seed");
        long modelSeed = seed == null ? TinyModelFactory.DEFAULT_SEED : seed;
        Path model = TinyModelFactory.write(out.resolve("model"), modelSeed);
        Path clip = TinyRandomClip.write(out.resolve("tiny-random-clip"), modelSeed);
        Path dataset = out.resolve("dataset");
        int images = DemoDataset.write(dataset, options.getInt("images", DemoDataset.DEFAULT_COUNT)).size();
        System.out.println("model   " + model + "  (" + TinyModelFactory.NAME + ": random weights, not a real model)");
        System.out.println("dataset " + dataset + "  (" + images + " images with captions)");
        System.out.println("clip    " + clip + "  (" + TinyRandomClip.NAME + ": random weights, its CLIP score is"
                + " meaningless)");
    }
}
