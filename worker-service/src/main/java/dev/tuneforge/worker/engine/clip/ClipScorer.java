package dev.tuneforge.worker.engine.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.image.RgbImage;
import dev.tuneforge.worker.engine.text.ClipTokenizer;
import dev.tuneforge.worker.engine.text.TokenizedPrompt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The CLIP score of images against their own prompts: {@code logits_per_image} of each
 * (image, prompt) pair, i.e. {@code exp(logit_scale) · cos} (100 · cos for OpenAI's CLIP), from a
 * CLIPModel folder with its preprocessor config and tokenizer.
 */
public final class ClipScorer implements AutoCloseable {

    /** Images per forward pass: bounds the activations of large ViTs. */
    private static final int BATCH = 8;

    private final NDManager manager;
    private final ClipModel model;
    private final ClipImageProcessor processor;
    private final ClipTokenizer tokenizer;

    private ClipScorer(NDManager manager, ClipModel model, ClipImageProcessor processor, ClipTokenizer tokenizer) {
        this.manager = manager;
        this.model = model;
        this.processor = processor;
        this.tokenizer = tokenizer;
    }

    /**
     * Loads {@code dir}: config.json + weights, preprocessor_config.json, and the tokenizer files
     * (vocab.json, merges.txt) in {@code dir} itself (Hub layout) or in {@code dir/tokenizer}.
     */
    public static ClipScorer load(Path dir) throws IOException {
        Path tokenizerDir = Files.isRegularFile(dir.resolve("vocab.json")) ? dir : dir.resolve("tokenizer");
        ClipImageProcessor processor = ClipImageProcessor.load(dir.resolve("preprocessor_config.json"));
        NDManager manager = NDManager.newBaseManager();
        try {
            ClipModel model = ClipModel.load(dir, manager);
            return new ClipScorer(manager, model, processor, ClipTokenizer.load(tokenizerDir));
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public ClipModel model() {
        return model;
    }

    /** The score of {@code images.get(i)} against {@code prompts.get(i)}, for every i. */
    public float[] score(List<RgbImage> images, List<String> prompts) {
        if (images.size() != prompts.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + prompts.size() + " prompts");
        }
        float[] scores = new float[images.size()];
        for (int start = 0; start < images.size(); start += BATCH) {
            int end = Math.min(images.size(), start + BATCH);
            float[] batch = scoreBatch(images.subList(start, end), prompts.subList(start, end));
            System.arraycopy(batch, 0, scores, start, batch.length);
        }
        return scores;
    }

    private float[] scoreBatch(List<RgbImage> images, List<String> prompts) {
        try (NDManager step = manager.newSubManager()) {
            NDArray imageEmbeds = model.imageEmbeds(processor.pixelValues(images, step));
            NDArray textEmbeds = model.textEmbeds(tokenIds(prompts, step));
            return imageEmbeds.mul(textEmbeds).sum(new int[] {1}).mul(model.logitScale()).toFloatArray();
        }
    }

    private NDArray tokenIds(List<String> prompts, NDManager step) {
        List<TokenizedPrompt> tokenized = tokenizer.encode(prompts);
        int length = tokenizer.maxLength();
        long[] ids = new long[prompts.size() * length];
        for (int i = 0; i < tokenized.size(); i++) {
            System.arraycopy(tokenized.get(i).ids(), 0, ids, i * length, length);
        }
        return step.create(ids, new Shape(prompts.size(), length));
    }

    @Override
    public void close() {
        tokenizer.close();
        manager.close();
    }
}
