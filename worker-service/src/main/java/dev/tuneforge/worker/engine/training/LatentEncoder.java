package dev.tuneforge.worker.engine.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.vae.AutoencoderKL;
import dev.tuneforge.worker.engine.vae.LatentDistribution;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Images to the VAE's latent distribution. With the cache on, each distinct image (same file,
 * crop and flip) is encoded once, alone, and its distribution kept for later steps; the latent
 * itself is still sampled per step, as the reference samples {@code latent_dist} every time.
 * Encoding one image at a time also makes the cached values independent of batch composition, so
 * a resumed run fills its cache with exactly the values of an uninterrupted one.
 */
final class LatentEncoder implements AutoCloseable {

    private final AutoencoderKL vae;
    private final NDManager cacheManager;
    private final Map<String, LatentDistribution> cache = new HashMap<>();

    LatentEncoder(AutoencoderKL vae, boolean cache, NDManager parent) {
        this.vae = vae;
        this.cacheManager = cache ? parent.newSubManager() : null;
    }

    /** The latent distribution of every row (stacked in row order), in {@code step}. */
    LatentDistribution encode(List<TrainingData.Row> rows, int resolution, NDManager step) {
        if (cacheManager == null) {
            return vae.encode(pixels(rows, resolution, step));
        }
        NDList means = new NDList();
        NDList logvars = new NDList();
        NDList stds = new NDList();
        for (TrainingData.Row row : rows) {
            LatentDistribution d = cache.computeIfAbsent(row.key(), k -> encodeForCache(row, resolution));
            means.add(d.mean());
            logvars.add(d.logvar());
            stds.add(d.std());
        }
        return new LatentDistribution(inStep(NDArrays.concat(means), step), inStep(NDArrays.concat(logvars), step),
                inStep(NDArrays.concat(stds), step));
    }

    private LatentDistribution encodeForCache(TrainingData.Row row, int resolution) {
        try (NDManager scratch = cacheManager.newSubManager()) {
            LatentDistribution d = vae.encode(pixels(List.of(row), resolution, scratch));
            NDArray mean = d.mean().duplicate();
            NDArray logvar = d.logvar().duplicate();
            NDArray std = d.std().duplicate();
            mean.attach(cacheManager);
            logvar.attach(cacheManager);
            std.attach(cacheManager);
            return new LatentDistribution(mean, logvar, std);
        }
    }

    private static NDArray inStep(NDArray array, NDManager step) {
        array.attach(step);
        return array;
    }

    private static NDArray pixels(List<TrainingData.Row> rows, int resolution, NDManager manager) {
        int perImage = 3 * resolution * resolution;
        float[] all = new float[rows.size() * perImage];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i).pixels(), 0, all, i * perImage, perImage);
        }
        return manager.create(all, new Shape(rows.size(), 3, resolution, resolution));
    }

    /** How many distinct images are cached. */
    int cached() {
        return cache.size();
    }

    @Override
    public void close() {
        if (cacheManager != null) {
            cacheManager.close();
        }
        cache.clear();
    }
}
