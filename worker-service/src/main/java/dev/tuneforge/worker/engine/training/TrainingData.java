package dev.tuneforge.worker.engine.training;

import dev.tuneforge.worker.engine.image.RgbImage;
import dev.tuneforge.worker.engine.training.data.ImageCaptionDataset;
import dev.tuneforge.worker.engine.training.data.TrainTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The training rows of each micro-step: for LoRA an image and its caption; for DreamBooth an
 * instance image with the instance prompt and, with prior preservation, a class image with the
 * class prompt appended at the end of the batch (train_dreambooth_lora.py pairs instance
 * {@code i % N} with class {@code i % M} over {@code max(N, M)} indices). Crops and flips are drawn
 * per row from seeds of (run seed, micro-step, row).
 */
final class TrainingData {

    private static final long AUGMENT = 0x4155474DL;

    /** One image as a micro-step uses it: {@code key} identifies the exact pixels (for the latent cache). */
    record Row(String key, float[] pixels, String prompt) {
    }

    /** A micro-step's rows: instance rows first, then {@code priorRows} class rows. */
    record Batch(List<Row> rows, int priorRows) {

        List<String> prompts() {
            return rows.stream().map(Row::prompt).toList();
        }
    }

    private final ImageCaptionDataset instances;
    private final ImageCaptionDataset classes;
    private final String instancePrompt;
    private final String classPrompt;
    private final TrainTransform transform;
    private final BatchPlan plan;
    private final long seed;

    /**
     * @param instancePrompt the prompt of every instance image, or null to use each image's caption
     * @param classes class images for prior preservation, or null
     */
    TrainingData(ImageCaptionDataset instances, String instancePrompt, ImageCaptionDataset classes, String classPrompt,
                 TrainTransform transform, int batchSize, long seed) {
        this.instances = instances;
        this.instancePrompt = instancePrompt;
        this.classes = classes;
        this.classPrompt = classPrompt;
        this.transform = transform;
        int size = classes == null ? instances.size() : Math.max(instances.size(), classes.size());
        this.plan = new BatchPlan(size, batchSize, seed);
        this.seed = seed;
    }

    Batch batch(long microStep) {
        int[] indices = plan.rows(microStep);
        List<Row> rows = new ArrayList<>();
        int row = 0;
        for (int index : indices) {
            ImageCaptionDataset.Example example = instances.examples().get(index % instances.size());
            rows.add(row("i", example, instancePrompt == null ? example.caption() : instancePrompt, microStep, row++));
        }
        if (classes != null) {
            for (int index : indices) {
                rows.add(row("c", classes.examples().get(index % classes.size()), classPrompt, microStep, row++));
            }
        }
        return new Batch(rows, classes == null ? 0 : indices.length);
    }

    private Row row(String kind, ImageCaptionDataset.Example example, String prompt, long microStep, int row) {
        RgbImage image = example.image();
        TrainTransform.Placement placement = transform.place(image, new Random(Seeds.derive(seed, AUGMENT, microStep, row)));
        String key = kind + ":" + example.name() + "@" + placement.x() + "," + placement.y() + (placement.flipped() ? "f" : "");
        return new Row(key, transform.pixels(image, placement), prompt);
    }

    /** The names of the instance examples, sorted: a resumed run must see the same dataset. */
    List<String> exampleNames() {
        List<String> names = new ArrayList<>();
        instances.examples().forEach(e -> names.add(e.name()));
        if (classes != null) {
            classes.examples().forEach(e -> names.add("class/" + e.name()));
        }
        return names;
    }

    /** The instance names in the order epoch {@code epoch} visits them. */
    List<String> order(int epoch) {
        List<String> names = new ArrayList<>();
        for (int index : plan.order(epoch)) {
            names.add(instances.examples().get(index % instances.size()).name());
        }
        return names;
    }

    BatchPlan plan() {
        return plan;
    }

    int resolution() {
        return transform.resolution();
    }
}
